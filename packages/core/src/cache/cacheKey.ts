import { hash } from 'node:crypto';

/**
 * A provider's identity for caching: everything that changes which token the bank issues (the
 * provider id, the strategy, the endpoint or issuer, the client id, the authentication method, the
 * transport certificate). A changed configuration gets a new identity, so never a stale token.
 */
export function providerIdentity(parts: readonly string[]): string {
  // One-shot hash(): no Hash object per provider, which showed in creating a thousand (docs/performance.md).
  return hash('sha256', JSON.stringify(parts), 'base64url').slice(0, 22);
}

/** The cache key of one provider identity and one normalised scope set. */
export function cacheKey(identity: string, scope: readonly string[]): string {
  return `finauth:${identity}:${scope.join(' ')}`;
}
