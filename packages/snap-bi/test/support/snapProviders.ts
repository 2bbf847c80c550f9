import type { Clock } from '@finauth/core';
import type { Sandbox } from '@finauth/sandbox';

/** Retries quick enough for tests: a Retry-After beyond 2 s fails at once. */
export const QUICK_RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 2000 });

/** A provider for the sandbox's SNAP BI bank, with its registered (PKCS#1) key. */
export function snapProvider(sandbox: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'snap',
    strategy: 'snap_bi',
    tokenEndpoint: sandbox.snap.tokenEndpoint,
    clientKey: sandbox.snap.clientKey,
    privateKey: `file:${sandbox.snap.keys.privateKey}`,
    tls: { ca: `file:${sandbox.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/**
 * The real time moved by `offsetMs`, with retry waits that take no real time but move the clock
 * (so each attempt's X-TIMESTAMP is visibly later than the one before).
 */
export class ShiftedClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public offsetMs = 0) {}
  now(): number {
    return Date.now() + this.offsetMs;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    this.offsetMs += Math.max(ms, 1000);
    return Promise.resolve();
  }
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
