import { createHash } from 'node:crypto';

/** The Redis names used for one core cache key. */
export interface RedisKeys {
  /** The SHA-256 of core's key, base64url: the hash tag and the pub/sub message. */
  readonly slot: string;
  /** Where the encrypted entry lives. */
  readonly token: string;
  /** The fetch lease: `SET NX PX`, value = the holder's random owner id. */
  readonly lease: string;
}

/**
 * Core's key already is a hash of everything that changes the token (provider, strategy, auth
 * method, endpoint or issuer, client id, certificate fingerprint) plus the normalised scope. It is
 * hashed again so scope text never reaches Redis, and put in a `{hash tag}` so the token and its
 * lease map to one Cluster slot (a Lua script may touch both).
 */
export function redisKeys(prefix: string, cacheKey: string): RedisKeys {
  const slot = createHash('sha256').update(cacheKey).digest('base64url');
  return { slot, token: `${prefix}{${slot}}:token`, lease: `${prefix}{${slot}}:lease` };
}

/** The one channel every finauth process subscribes to; a message is the `slot` of a stored entry. */
export function readyChannel(prefix: string): string {
  return `${prefix}ready`;
}

/**
 * The sharded (Redis Cluster) wake-up channel of one key: it carries the key's hash tag, so it maps
 * to the key's slot and SPUBLISH from the store script reaches only that shard.
 */
export function shardedReadyChannel(prefix: string, slot: string): string {
  return `${prefix}{${slot}}:ready`;
}
