// Timing helpers: rates from hrtime, medians, and rounds that alternate the clients' order so that
// drift of the machine (thermal, other load) spreads over all of them.
import { PerformanceObserver } from 'node:perf_hooks';

export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Acquisitions per second, one after another. */
export async function sequentialRate(client, n) {
  const t0 = now();
  for (let i = 0; i < n; i++) await client.acquire(0);
  return (n * 1000) / (now() - t0);
}

/** Acquisitions per second with `workers` callers each keeping one in flight. */
export async function concurrentRate(client, n, workers) {
  let next = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (next++ < n) await client.acquire(w);
    }),
  );
  return (n * 1000) / (now() - t0);
}

/**
 * Runs `measure(client)` for every client over `rounds` rounds. The order goes through every
 * permutation of the clients in turn, so each client follows each other one equally often (a
 * client that leaves garbage behind does not always tax the same neighbour), and when the process
 * was started with --expose-gc (`npm run bench` does) each round starts from a full collection.
 * Also reports the share of each client's time spent in garbage collection (median over its
 * rounds): a structure that keeps dead requests alive through scavenges shows there first
 * (docs/performance.md, GC).
 */
export async function alternate(clients, rounds, measure) {
  const samples = Object.fromEntries(clients.map((c) => [c.name, []]));
  const gcShares = Object.fromEntries(clients.map((c) => [c.name, []]));
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const orders = permutations(clients);
    for (let r = 0; r < rounds; r++) {
      for (const client of orders[r % orders.length]) {
        globalThis.gc?.();
        await settleGcEntries();
        gcMs = 0;
        const t0 = now();
        samples[client.name].push(await measure(client));
        const elapsed = now() - t0;
        await settleGcEntries();
        gcShares[client.name].push(gcMs / elapsed);
      }
    }
  } finally {
    observer.disconnect();
  }
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, { median: median(xs), samples: xs.map((x) => Math.round(x)), gcShare: median(gcShares[name]) }]));
}

/** GC entries reach an observer a turn of the event loop after the collection. */
const settleGcEntries = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Every ordering of `items`, in a fixed order. */
function permutations(items) {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]));
}
