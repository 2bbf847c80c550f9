import { Agent } from 'node:https';
import type { HttpRequest, HttpResponse, Transport, TransportFactory, TransportOptions } from '@finauth/core';

/**
 * A Transport bound through DI (`transportFactory`) for unit tests: records every request and
 * answers from a script, so the exact bytes the strategy puts on the wire can be checked.
 */
export class ScriptedTransports implements TransportFactory {
  readonly requests: HttpRequest[] = [];
  readonly created: TransportOptions[] = [];
  private readonly script: HttpResponse[];

  constructor(...responses: HttpResponse[]) {
    this.script = responses;
  }

  create(options: TransportOptions): Transport {
    this.created.push(options);
    const agent = new Agent();
    return {
      agent,
      timeoutMs: options.timeoutMs,
      send: async (request) => {
        this.requests.push(request);
        const next = this.script.length > 1 ? this.script.shift() : this.script[0];
        if (!next) throw new Error('ScriptedTransports: no response scripted');
        return next;
      },
      close: () => agent.destroy(),
    };
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A clock that never waits: retries happen at once, and `now` is fixed so expiry is exact. */
export function fixedClock(now: number): { now(): number; sleep(ms: number): Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void slept.push(ms), slept };
}
