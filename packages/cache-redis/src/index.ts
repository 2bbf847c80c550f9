export { redisCache } from './redisCache.js';
export { cacheRedis } from './cacheRedis.js';
export { RedisTokenCache, type CacheReporting } from './RedisTokenCache.js';
export { CACHE_DEFAULTS, type EncryptionKeyOption, type RedisCacheOptions } from './RedisCacheOptions.js';
export { redisKeys, readyChannel, type RedisKeys } from './redisKeys.js';
