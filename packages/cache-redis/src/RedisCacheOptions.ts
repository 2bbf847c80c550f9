import type { Logger, SecretResolver, Telemetry } from '@finauth/core';
import type { RedisClientOptions } from 'redis';
import type { ClusterOptions } from './link/cluster.js';
import type { SentinelOptions } from './link/sentinel.js';

export type { ClusterOptions, SentinelOptions };

/** One encryption key: an id stored next to every ciphertext, and 32 bytes given by reference or inline. */
export interface EncryptionKeyOption {
  /** Stored with each entry so any configured key can be picked to decrypt it: 1-64 of `A-Z a-z 0-9 . _ -`. */
  readonly id: string;
  /** `env:NAME`, `file:path` or the base64 of exactly 32 random bytes (AES-256). */
  readonly key: string;
}

/** What `redisCache()` / `cacheRedis()` take. */
export interface RedisCacheOptions {
  /** A single node: `redis://[user:pass@]host:port[/db]` or `rediss://` for TLS. Ignored when `client` is given. */
  readonly url?: string;
  /**
   * A single node, with node-redis client options (socket, TLS, credentials, database). finauth
   * sets `disableOfflineQueue`, a connect timeout unless you set one, and reconnects on its own.
   */
  readonly client?: RedisClientOptions;
  /** A Redis Cluster: `{ rootNodes: [{ url }], defaults?: { username, password, socket: { tls } } }`. */
  readonly cluster?: ClusterOptions;
  /** A primary behind Sentinel: `{ name, sentinelRootNodes: [{ host, port }], nodeClientOptions?, sentinelClientOptions? }`. */
  readonly sentinel?: SentinelOptions;
  /**
   * While Redis does not answer, how long cross-process single flight keeps trying before a process
   * fetches on its own: long enough for a failover, and callers wait that long at most. Default 0
   * for a single node (no successor will answer), 5000 for Cluster and Sentinel.
   */
  readonly failoverWaitMs?: number;
  /** Prefix of every Redis key and of the pub/sub channel (default `finauth:`). */
  readonly keyPrefix?: string;
  /** Upper bound of every Redis command; past it finauth falls back to its in-process cache (default 500). */
  readonly commandTimeoutMs?: number;
  /** How long a fetch lease lives without renewal: a dead holder's lease ends after this (default 5000). */
  readonly leaseMs?: number;
  /** How often a waiting process looks for the winner's entry when no pub/sub message came (default 100, jittered). */
  readonly pollIntervalMs?: number;
  /** While degraded, how often Redis is probed with PING (default 1000). */
  readonly probeIntervalMs?: number;
  /** Encryption keys, newest first: the first encrypts, any decrypts (key rotation). */
  readonly keys?: readonly EncryptionKeyOption[];
  /** Store tokens in clear. An explicit opt-out of encryption at rest; not allowed together with `keys`. */
  readonly plaintext?: boolean;
  /** Where degradation and undecryptable entries are reported (default: the container's, else silent). */
  readonly logger?: Logger;
  /** Receives `cache.degraded` / `cache.recovered` / `cache.undecryptable` (default: the container's, else none). */
  readonly telemetry?: Telemetry;
  /** Resolves `env:` / `file:` key references (default: core's `defaultSecretResolver`). */
  readonly secretResolver?: SecretResolver;
  /** Folder `file:` references are relative to (default the working directory). */
  readonly baseDir?: string;
}

export const CACHE_DEFAULTS = Object.freeze({
  keyPrefix: 'finauth:',
  commandTimeoutMs: 500,
  leaseMs: 5000,
  pollIntervalMs: 100,
  probeIntervalMs: 1000,
  /** Cluster and Sentinel: a failover (node timeout + election) usually ends within this on a LAN. */
  failoverWaitMs: 5000,
});
