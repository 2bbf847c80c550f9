import { noopTelemetry, silentLogger, type TokenCache } from '@finauth/core';
import type { RedisClientOptions } from 'redis';
import type { RedisCacheOptions } from './RedisCacheOptions.js';
import { RedisTokenCache, type CacheReporting } from './RedisTokenCache.js';
import { resolveSettings } from './resolveSettings.js';

/**
 * A shared token cache on Redis: `createFinauth({ cache: redisCache({ url, keys }) })`.
 * Checks every option at once (a ConfigError naming each bad path, never a key's value) and
 * connects in the background. `Finauth.close()` closes it.
 */
export function redisCache(options: RedisCacheOptions): RedisTokenCache & TokenCache {
  const settings = resolveSettings(options);
  const logger = options.logger ?? silentLogger;
  const telemetry = options.telemetry ?? noopTelemetry;
  return new RedisTokenCache(settings, clientOptionsOf(options), { logger: () => logger, telemetry: () => telemetry });
}

/** @internal the container module passes late-bound reporting */
export function redisCacheWith(options: RedisCacheOptions, reporting: CacheReporting): RedisTokenCache {
  return new RedisTokenCache(resolveSettings(options), clientOptionsOf(options), reporting);
}

function clientOptionsOf(options: RedisCacheOptions): RedisClientOptions {
  return { ...(options.client ?? {}), ...(options.url !== undefined && options.client === undefined ? { url: options.url } : {}) };
}
