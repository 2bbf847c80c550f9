import type { CachedToken } from '../cache/TokenCache.js';
import type { Clock } from '../time/Clock.js';

export interface KeepWarmDeps {
  readonly clock: Clock;
  readonly closing: AbortSignal;
  readonly read: (key: string) => Promise<CachedToken | undefined>;
  /** Refreshes `key` in the background (BackgroundRefresh.trigger). */
  readonly due: (key: string, scope: string[], entry: CachedToken) => void;
}

/** Scope sets kept warm per provider: the same bound as the pipeline's scope memo. */
const MAX_KEYS = 256;

/**
 * `keepWarm`: each token this pipeline fetched is refreshed at its refresh point without waiting for
 * a caller, so even the first call after a quiet period finds a fresh token. One timer per key.
 */
export class KeepWarm {
  private readonly timers = new Map<string, symbol>();

  constructor(private readonly deps: KeepWarmDeps) {}

  /** Called after each fetch stored `entry` under `key`. */
  schedule(key: string, scope: string[], entry: CachedToken): void {
    if (this.timers.has(key) || this.deps.closing.aborted || this.timers.size >= MAX_KEYS) return;
    const mine = Symbol(key);
    this.timers.set(key, mine);
    void this.wait(key, scope, entry)
      .catch(() => undefined)
      .finally(() => {
      if (this.timers.get(key) === mine) this.timers.delete(key);
    });
  }

  private async wait(key: string, scope: string[], entry: CachedToken): Promise<void> {
    const { clock, closing } = this.deps;
    let current: CachedToken | undefined = entry;
    while (current) {
      try {
        await clock.sleep(Math.max(0, current.refreshAt - clock.now()), closing);
        current = await this.deps.read(key);
      } catch {
        return;
      }
      if (!current || current.expiresAt <= clock.now()) return;
      if (clock.now() >= current.refreshAt) {
        // The fetch that follows schedules the next wait.
        this.timers.delete(key);
        this.deps.due(key, scope, current);
        return;
      }
    }
  }
}
