import type { Clock } from '@finauth/core';

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
