import type { Harness } from './harness.js';

/** Lets background work (refresh ahead) run: resolves once the transport has seen `count` requests. */
export async function requests(h: Pick<Harness, 'transport'>, count: number, maxTurns = 1000): Promise<void> {
  for (let turn = 0; turn < maxTurns && h.transport.requests.length < count; turn++) await new Promise((resolve) => setImmediate(resolve));
  if (h.transport.requests.length < count) throw new Error(`expected ${count} requests, saw ${h.transport.requests.length}`);
  // One more turn: the fetch that sent the last request stores its token.
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}
