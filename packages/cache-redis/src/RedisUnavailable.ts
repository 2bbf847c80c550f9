/**
 * Redis did not answer in time or answered with an error. Never leaves this package: it switches
 * the cache to its in-process fallback.
 */
export class RedisUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`Redis unavailable: ${reason}`);
    this.name = 'RedisUnavailable';
  }
}

/** A short, secret-free description of a Redis client error for logs. */
export function describeRedisError(error: unknown, secrets: readonly string[] = []): string {
  if (error instanceof RedisUnavailable) return error.reason;
  let text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  for (const secret of secrets) if (secret.length > 0) text = text.split(secret).join('[REDACTED]');
  return text.slice(0, 300);
}
