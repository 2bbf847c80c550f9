import type { AccessToken } from '../token/AccessToken.js';

/** What a cache holds for one key: the token and when to stop serving it without a refresh. */
export interface CachedToken {
  readonly token: AccessToken;
  /** Epoch ms after which the token is refreshed (expiry minus the refresh skew). */
  readonly refreshAt: number;
  /** Epoch ms after which the token is never served. */
  readonly expiresAt: number;
}

/**
 * Where tokens are kept between calls. In memory by default; replace it through the container or
 * `createFinauth({ cache })` (a shared Redis cache, say). Methods may answer synchronously: the
 * cache hit is the hot path and an extra promise there is measurable.
 */
export interface TokenCache {
  get(key: string): CachedToken | undefined | Promise<CachedToken | undefined>;
  set(key: string, entry: CachedToken): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /**
   * Optional single flight across processes (a shared cache). Called when this process is about to
   * fetch `key`: runs `fetch` if this process wins the right to, else waits for the winner's entry.
   * Either way it stores the entry and returns it. Without it, core fetches and calls `set`.
   */
  coordinate?(key: string, fetch: () => Promise<CachedToken>, signal: AbortSignal): Promise<CachedToken>;
  close?(): void | Promise<void>;
}
