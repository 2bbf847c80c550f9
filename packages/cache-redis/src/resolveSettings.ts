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
  /** Newest first; empty only with `plaintext`. */
  readonly keys: readonly EncryptionKey[];
  readonly plaintext: boolean;
}

const KNOWN = new Set(['url', 'client', 'keyPrefix', 'commandTimeoutMs', 'leaseMs', 'pollIntervalMs', 'probeIntervalMs', 'keys', 'plaintext', 'logger', 'telemetry', 'secretResolver', 'baseDir']);
const PREFIX = /^[\x21-\x7A\x7C\x7E]{0,64}$/; // printable, no space and no braces: a brace would break the hash tag

/** Checks every option at once; a problem is a ConfigError whose paths start with `cache.`. */
export function resolveSettings(options: RedisCacheOptions): CacheSettings {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) throw new ConfigError([{ path: 'cache', message: 'options must be an object' }]);
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) issues.push({ path: key, message: 'unknown field' });
  if (options.url !== undefined && (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))) {
    issues.push({ path: 'url', message: 'must be a redis:// or rediss:// URL' });
  }
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
  return { keyPrefix, commandTimeoutMs, leaseMs, pollIntervalMs, probeIntervalMs, keys, plaintext };
}
