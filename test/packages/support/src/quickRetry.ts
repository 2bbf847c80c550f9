/** Retries quick enough for tests: a Retry-After beyond 2 s fails at once. */
export const QUICK_RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 2000 });
