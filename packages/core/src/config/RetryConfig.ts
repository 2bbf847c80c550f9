import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Retries of 429, 502, 503, 504 and network failures; 400 and 401 are never retried. */
export class RetryConfig {
  @IsOptional() @IsInt() @Min(0) @Max(10)
  maxRetries?: number;

  /** The longest single wait, backoff or Retry-After; a longer Retry-After fails at once. */
  @IsOptional() @IsInt() @Min(0) @Max(600_000)
  maxDelayMs?: number;

  /** First backoff step; doubles each retry, with full jitter. */
  @IsOptional() @IsInt() @Min(1) @Max(60_000)
  baseDelayMs?: number;
}

export const DEFAULT_RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 30_000, baseDelayMs: 200 });
