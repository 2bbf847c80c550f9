import { LOGGER, noopTelemetry, silentLogger, TELEMETRY, TOKEN_CACHE, type Logger, type Telemetry } from '@finauth/core';
import { ContainerModule, type ResolutionContext } from 'inversify';
import { redisCacheWith } from './redisCache.js';
import type { RedisCacheOptions } from './RedisCacheOptions.js';

/**
 * The shared cache as an inversify module, for container wiring:
 * `container.load(cacheRedis({ url, keys })); createFinauth({ container, ... })`. Without a logger
 * or telemetry in the options it uses the container's, looked up when it first reports (createFinauth
 * binds them after the cache is resolved).
 */
export function cacheRedis(options: RedisCacheOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKEN_CACHE)
      .toDynamicValue((context: ResolutionContext) => {
        const logger = options.logger;
        const telemetry = options.telemetry;
        return redisCacheWith(options, {
          logger: () => logger ?? context.get<Logger>(LOGGER, { optional: true }) ?? silentLogger,
          telemetry: () => telemetry ?? context.get<Telemetry>(TELEMETRY, { optional: true }) ?? noopTelemetry,
        });
      })
      .inSingletonScope();
  });
}
