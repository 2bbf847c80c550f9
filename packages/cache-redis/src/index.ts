export { redisCache } from './redisCache.js';
export { cacheRedis } from './cacheRedis.js';
export { RedisTokenCache, type CacheReporting, type CacheStatus } from './RedisTokenCache.js';
export { CACHE_DEFAULTS, type ClusterOptions, type EncryptionKeyOption, type RedisCacheOptions, type SentinelOptions } from './RedisCacheOptions.js';
export { redisKeys, readyChannel, shardedReadyChannel, type RedisKeys } from './redisKeys.js';
