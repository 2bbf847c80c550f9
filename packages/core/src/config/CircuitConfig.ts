import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * The circuit breaker at a provider's token endpoint: after `failureThreshold` retryable failures
 * in a row (429, 502, 503, 504, network, timeout) calls fail at once for `coolDownMs`, then one
 * probe decides whether it closes again.
 */
export class CircuitConfig {
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  failureThreshold?: number;

  @IsOptional() @IsInt() @Min(100) @Max(3_600_000)
  coolDownMs?: number;
}

/** Five failed attempts is three exhausted default retry rounds cut short: a real outage, not a blip. */
export const DEFAULT_CIRCUIT = Object.freeze({ failureThreshold: 5, coolDownMs: 30_000 });
