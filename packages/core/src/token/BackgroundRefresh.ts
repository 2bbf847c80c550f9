import type { CachedToken } from '../cache/TokenCache.js';
import { FinauthError } from '../errors/index.js';
import { backoffDelay, type BackoffSettings } from '../http/backoff.js';
import type { Logger } from '../observability/Logger.js';
import type { Clock } from '../time/Clock.js';

export interface BackgroundRefreshDeps {
  readonly providerId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly closing: AbortSignal;
  readonly backoff: BackoffSettings;
  /** Fetches a new token for `key` (through the pipeline's single flight and the cache's lease). */
  readonly refresh: (key: string, scope: string[]) => Promise<unknown>;
  /** The cache's current entry for `key` (another process may have refreshed it meanwhile). */
  readonly read: (key: string) => Promise<CachedToken | undefined>;
  /** `token.stale_served`: a refresh failed and the cached token keeps being served. */
  readonly staleServed: (code: string) => void;
}

/** A retry is not started when the token has less than this left: the next caller fetches anyway. */
const MIN_USEFUL_MS = 1000;

/**
 * Refresh ahead: a caller holding a token past its refresh point but still valid is answered at
 * once, and one refresh per key runs here, off every caller's path. A failed refresh is logged and
 * tried again with backoff for as long as the cached token lasts; after that, callers wait for a
 * fetch as usual.
 */
export class BackgroundRefresh {
  private readonly running = new Set<string>();

  constructor(private readonly deps: BackgroundRefreshDeps) {}

  /** Number of keys being refreshed (or waiting to retry) now. */
  get size(): number {
    return this.running.size;
  }

  /** Starts refreshing `key` unless it already is; `expiresAt` bounds the retries. */
  trigger(key: string, scope: string[], expiresAt: number): void {
    if (this.running.has(key) || this.deps.closing.aborted) return;
    this.running.add(key);
    void this.loop(key, scope, expiresAt)
      .catch(() => undefined) // a logger that throws must not become an unhandled rejection
      .finally(() => this.running.delete(key));
  }

  private async loop(key: string, scope: string[], expiresAt: number): Promise<void> {
    const { clock, logger, closing, backoff, providerId } = this.deps;
    for (let failures = 0; ; ) {
      try {
        await this.deps.refresh(key, scope);
        return;
      } catch (error) {
        if (closing.aborted) return;
        const code = FinauthError.is(error) ? error.code : 'UNKNOWN';
        const hinted = (error as { retryAfterMs?: unknown }).retryAfterMs;
        const delay = backoffDelay(failures, backoff, typeof hinted === 'number' ? hinted : undefined) ?? backoff.maxDelayMs;
        failures++;
        const left = expiresAt - clock.now();
        if (left - delay < MIN_USEFUL_MS) {
          logger.error('background token refresh failed; the cached token expires before another try', { providerId, code, failures });
          return;
        }
        logger.warn('background token refresh failed; serving the cached token and trying again', { providerId, code, failures, delayMs: delay });
        this.deps.staleServed(code);
        try {
          await clock.sleep(delay, closing);
          const current = await this.deps.read(key);
          if (current && clock.now() < current.refreshAt) return; // refreshed elsewhere (another process)
        } catch {
          return; // closing, or the cache is unreachable: the next caller decides
        }
      }
    }
  }
}
