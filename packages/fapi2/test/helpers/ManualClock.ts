import type { Clock } from '@finauth/core';

/** A clock tests move by hand; sleeps return at once (retry waits are not what these tests measure). */
export class ManualClock implements Clock {
  constructor(public ms: number = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
}
