import { ConfigError, type ConfigIssue } from '@finauth/core';
import { resolveEncryptionKeys, type EncryptionKey } from './EncryptionKey.js';
import { CACHE_DEFAULTS, type RedisCacheOptions } from './RedisCacheOptions.js';

/** The checked options, with defaults applied. */
export interface CacheSettings {
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly probeIntervalMs: number;
  /** 0: degrade at the first failure (single node). */
  readonly failoverWaitMs: number;
  /** Bound on connecting one socket; a whole (re)connection gets twice this. */
  readonly connectTimeoutMs: number;
  /** Which deployment the options describe. */
  readonly kind: 'node' | 'cluster' | 'sentinel';
  /** Newest first; empty only with `plaintext`. */
  readonly keys: readonly EncryptionKey[];
  readonly plaintext: boolean;
}

const KNOWN = new Set(['url', 'client', 'cluster', 'sentinel', 'failoverWaitMs', 'keyPrefix', 'commandTimeoutMs', 'leaseMs', 'pollIntervalMs', 'probeIntervalMs', 'keys', 'plaintext', 'logger', 'telemetry', 'secretResolver', 'baseDir']);
const CLUSTER_KNOWN = new Set(['rootNodes', 'defaults', 'nodeAddressMap', 'maxCommandRedirections']);
const SENTINEL_KNOWN = new Set(['name', 'sentinelRootNodes', 'nodeClientOptions', 'sentinelClientOptions']);
const REDIS_URL = /^rediss?:\/\//;
const PREFIX = /^[\x21-\x7A\x7C\x7E]{0,64}$/; // printable, no space and no braces: a brace would break the hash tag

/** Checks every option at once; a problem is a ConfigError whose paths start with `cache.`. */
export function resolveSettings(options: RedisCacheOptions): CacheSettings {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) throw new ConfigError([{ path: 'cache', message: 'options must be an object' }]);
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) issues.push({ path: key, message: 'unknown field' });
  if (options.url !== undefined && (typeof options.url !== 'string' || !REDIS_URL.test(options.url))) {
    issues.push({ path: 'url', message: 'must be a redis:// or rediss:// URL' });
  }
  const kind = checkDeployment(options, issues);
  const keyPrefix = options.keyPrefix ?? CACHE_DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string' || !PREFIX.test(keyPrefix)) issues.push({ path: 'keyPrefix', message: 'must be at most 64 printable characters without spaces or braces' });
  const int = (name: 'commandTimeoutMs' | 'leaseMs' | 'pollIntervalMs' | 'probeIntervalMs', min: number, max: number): number => {
    const value = options[name] ?? CACHE_DEFAULTS[name];
    if (!Number.isInteger(value) || value < min || value > max) issues.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    return value;
  };
  const commandTimeoutMs = int('commandTimeoutMs', 10, 60_000);
  const leaseMs = int('leaseMs', 100, 600_000);
  const pollIntervalMs = int('pollIntervalMs', 5, 10_000);
  const probeIntervalMs = int('probeIntervalMs', 50, 600_000);
  const failoverWaitMs = options.failoverWaitMs ?? (kind === 'node' ? 0 : CACHE_DEFAULTS.failoverWaitMs);
  if (!Number.isInteger(failoverWaitMs) || failoverWaitMs < 0 || failoverWaitMs > 600_000) issues.push({ path: 'failoverWaitMs', message: 'must be an integer from 0 to 600000' });
  if (options.plaintext !== undefined && typeof options.plaintext !== 'boolean') issues.push({ path: 'plaintext', message: 'must be true or false' });
  const plaintext = options.plaintext === true;
  let keys: EncryptionKey[] = [];
  if (options.keys !== undefined && !Array.isArray(options.keys)) {
    issues.push({ path: 'keys', message: 'must be an array of { id, key }, newest first' });
  } else if (plaintext && options.keys !== undefined && options.keys.length > 0) {
    issues.push({ path: 'plaintext', message: 'cannot be combined with keys: choose encryption (keys) or the plaintext opt-out' });
  } else if (!plaintext) {
    if (!options.keys || options.keys.length === 0) {
      issues.push({ path: 'keys', message: 'tokens are encrypted at rest: give at least one key { id, key: "env:NAME" | "file:path" }, or opt out with plaintext: true' });
    } else {
      keys = resolveEncryptionKeys(options.keys, issues, options.secretResolver, options.baseDir);
    }
  }
  if (issues.length > 0) throw new ConfigError(ConfigError.prefixed('cache', issues));
  const connectTimeoutMs = Math.max(1000, commandTimeoutMs * 2);
  return { keyPrefix, commandTimeoutMs, leaseMs, pollIntervalMs, probeIntervalMs, failoverWaitMs, connectTimeoutMs, kind, keys, plaintext };
}

/** One of url/client (single node), cluster or sentinel, with the shape each needs. */
function checkDeployment(options: RedisCacheOptions, issues: ConfigIssue[]): CacheSettings['kind'] {
  const single = options.url !== undefined || options.client !== undefined;
  const given = [single && 'url/client', options.cluster !== undefined && 'cluster', options.sentinel !== undefined && 'sentinel'].filter(Boolean);
  if (given.length > 1) issues.push({ path: 'cluster', message: `give one of url/client, cluster or sentinel (got ${given.join(' and ')})` });
  if (options.client !== undefined && !isObject(options.client)) issues.push({ path: 'client', message: 'must be node-redis client options (an object)' });
  if (options.cluster !== undefined) {
    checkCluster(options.cluster, issues);
    return 'cluster';
  }
  if (options.sentinel !== undefined) {
    checkSentinel(options.sentinel, issues);
    return 'sentinel';
  }
  return 'node';
}

function checkCluster(cluster: unknown, issues: ConfigIssue[]): void {
  if (!isObject(cluster)) {
    issues.push({ path: 'cluster', message: 'must be { rootNodes: [{ url }], defaults? }' });
    return;
  }
  for (const key of Object.keys(cluster)) if (!CLUSTER_KNOWN.has(key)) issues.push({ path: `cluster.${key}`, message: `unknown field (finauth reads masters only, so useReplicas is not offered); known: ${[...CLUSTER_KNOWN].join(', ')}` });
  const roots = cluster['rootNodes'];
  if (!Array.isArray(roots) || roots.length === 0) {
    issues.push({ path: 'cluster.rootNodes', message: 'must list at least one node, e.g. [{ url: "redis://10.0.0.1:6379" }] (three is better)' });
  } else {
    roots.forEach((node: unknown, i) => {
      const path = `cluster.rootNodes[${i}]`;
      if (!isObject(node)) issues.push({ path, message: 'must be { url } or { socket: { host, port } }' });
      else if (node['url'] !== undefined && (typeof node['url'] !== 'string' || !REDIS_URL.test(node['url']))) issues.push({ path: `${path}.url`, message: 'must be a redis:// or rediss:// URL' });
      else if (node['url'] === undefined && !isObject(node['socket'])) issues.push({ path, message: 'needs a url or a socket { host, port }' });
    });
  }
  if (cluster['defaults'] !== undefined && !isObject(cluster['defaults'])) issues.push({ path: 'cluster.defaults', message: 'must be node-redis client options (an object)' });
}

function checkSentinel(sentinel: unknown, issues: ConfigIssue[]): void {
  if (!isObject(sentinel)) {
    issues.push({ path: 'sentinel', message: 'must be { name, sentinelRootNodes: [{ host, port }] }' });
    return;
  }
  for (const key of Object.keys(sentinel)) if (!SENTINEL_KNOWN.has(key)) issues.push({ path: `sentinel.${key}`, message: `unknown field; known: ${[...SENTINEL_KNOWN].join(', ')}` });
  if (typeof sentinel['name'] !== 'string' || sentinel['name'] === '') issues.push({ path: 'sentinel.name', message: 'must be the name the sentinels monitor the primary under' });
  const roots = sentinel['sentinelRootNodes'];
  if (!Array.isArray(roots) || roots.length === 0) {
    issues.push({ path: 'sentinel.sentinelRootNodes', message: 'must list the sentinels, e.g. [{ host: "10.0.0.1", port: 26379 }]' });
  } else {
    roots.forEach((node: unknown, i) => {
      if (!isObject(node) || typeof node['host'] !== 'string' || node['host'] === '' || !Number.isInteger(node['port']) || (node['port'] as number) < 1 || (node['port'] as number) > 65535) {
        issues.push({ path: `sentinel.sentinelRootNodes[${i}]`, message: 'must be { host, port } with a port from 1 to 65535' });
      }
    });
  }
  for (const name of ['nodeClientOptions', 'sentinelClientOptions']) {
    const value = sentinel[name];
    if (value === undefined) continue;
    if (!isObject(value)) issues.push({ path: `sentinel.${name}`, message: 'must be node-redis client options (an object)' });
    else if (value['url'] !== undefined) issues.push({ path: `sentinel.${name}.url`, message: 'not allowed: the sentinels name the primary; give credentials and TLS without a URL' });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
