import type { Clock } from '../../src/time/Clock.js';

/**
 * A clock that moves only when the test says so: a sleep resolves when `advance` passes its
 * deadline (unlike FakeClock, whose sleeps return at once). For background work: keepWarm timers,
 * backoff between background refreshes, circuit cool-downs.
 */
export class ManualClock implements Clock {
  private sleepers: Array<{ at: number; resolve: () => void }> = [];
  constructor(public time = Date.UTC(2026, 10, 22, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  /** Sleeps currently waiting. */
  get waiting(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const entry = { at: this.time + ms, resolve };
      this.sleepers.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== entry);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of due) s.resolve();
  }
}
