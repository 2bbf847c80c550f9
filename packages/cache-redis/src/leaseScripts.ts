/**
 * Lua scripts run atomically by Redis. Both keys of a script share one `{hash tag}`, so they also
 * run on Redis Cluster (one slot).
 */

/** Deletes the lease only if this process still owns it: a late holder never frees a successor's lease. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Extends the lease while the owner's fetch runs (a slow bank does not let a second process in). */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/**
 * Stores the entry with its TTL, frees the owner's lease and wakes the waiters, in one round trip:
 * a waiter never sees "no lease and no entry" between the store and the release.
 * KEYS: token, lease. ARGV: value, ttl ms, owner, channel, message.
 */
export const STORE_AND_RELEASE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;
