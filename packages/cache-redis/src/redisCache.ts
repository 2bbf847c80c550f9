import { noopTelemetry, silentLogger, type TokenCache } from '@finauth/core';
import type { RedisClientOptions } from 'redis';
import type { Deployment } from './link/Connection.js';
import { cluster } from './link/cluster.js';
import { sentinel } from './link/sentinel.js';
import { singleNode } from './link/singleNode.js';
import type { RedisCacheOptions } from './RedisCacheOptions.js';
import { RedisTokenCache, type CacheReporting } from './RedisTokenCache.js';
import { resolveSettings, type CacheSettings } from './resolveSettings.js';

/**
 * A shared token cache on Redis: `createFinauth({ cache: redisCache({ url | cluster | sentinel, keys }) })`.
 * Checks every option at once (a ConfigError naming each bad path, never a key's value) and
 * connects in the background. `Finauth.close()` closes it (and createFinauth does, when it throws).
 */
export function redisCache(options: RedisCacheOptions): RedisTokenCache & TokenCache {
  const settings = resolveSettings(options);
  const logger = options.logger ?? silentLogger;
  const telemetry = options.telemetry ?? noopTelemetry;
  return new RedisTokenCache(settings, deploymentOf(options, settings), { logger: () => logger, telemetry: () => telemetry });
}

/** @internal the container module passes late-bound reporting */
export function redisCacheWith(options: RedisCacheOptions, reporting: CacheReporting): RedisTokenCache {
  const settings = resolveSettings(options);
  return new RedisTokenCache(settings, deploymentOf(options, settings), reporting);
}

function deploymentOf(options: RedisCacheOptions, settings: CacheSettings): Deployment {
  if (options.cluster) return cluster(options.cluster, settings.keyPrefix, settings.connectTimeoutMs);
  if (options.sentinel) return sentinel(options.sentinel, settings.keyPrefix, settings.connectTimeoutMs);
  const client: RedisClientOptions = { ...(options.client ?? {}), ...(options.url !== undefined && options.client === undefined ? { url: options.url } : {}) };
  return singleNode(client, settings.keyPrefix, settings.connectTimeoutMs);
}
