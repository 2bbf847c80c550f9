import type { AccessToken } from '../token/AccessToken.js';
import type { CachedToken } from './TokenCache.js';

export interface RefreshPolicy {
  /** Refresh this long before expiry at most (default 60 s). */
  readonly refreshSkewMs: number;
  /** Lifetime assumed when the server sent no `expires_in`. */
  readonly defaultLifetimeMs: number;
}

/**
 * When to refresh a token received at `receivedAt`: `skew` before expiry, where skew is the
 * configured refresh skew, or 10% of the lifetime for short tokens (a 5-minute token is refreshed
 * 30 s early, not 60 s).
 */
export function cacheEntryFor(token: AccessToken, receivedAt: number, policy: RefreshPolicy): CachedToken {
  const expiresAt = token.expiresAt ? token.expiresAt.getTime() : receivedAt + policy.defaultLifetimeMs;
  const lifetime = Math.max(0, expiresAt - receivedAt);
  const skew = Math.min(policy.refreshSkewMs, lifetime * 0.1);
  return { token, refreshAt: expiresAt - skew, expiresAt };
}
