/**
 * Lua scripts run atomically by Redis. Both keys of a script share one `{hash tag}`, so they also
 * run on Redis Cluster (one slot).
 */

/**
 * Takes the lease if it is free, or confirms it when this owner already holds it: a SET NX whose
 * reply was lost (past the command timeout, or in a failover) is retried with the same owner and
 * then answers "yours", instead of locking the owner out of its own lease until it expires.
 * KEYS: lease. ARGV: owner, lease ms. Returns 1 when the caller holds the lease.
 */
export const ACQUIRE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if current == ARGV[1] then
  return 1
end
return 0`;

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
 * KEYS: token, lease. ARGV: value, ttl ms, owner, channel, message, mode.
 * Mode `S` (Cluster): SPUBLISH on a channel with the keys' hash tag, so it stays in the script's
 * slot; `redis.pcall` because Redis < 7 has no SPUBLISH, and a lost wake-up only costs a poll.
 * Anything else (single node, Sentinel, or a process of an older version sending five arguments):
 * classic PUBLISH.
 */
export const STORE_AND_RELEASE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
if ARGV[6] == 'S' then
  redis.pcall('SPUBLISH', ARGV[4], ARGV[5])
else
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return 1`;
