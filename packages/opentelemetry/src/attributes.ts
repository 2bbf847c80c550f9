import type { Attributes } from '@opentelemetry/api';
import type { TelemetryAttributes } from '@finauth/core';

/**
 * Attribute names, in OpenTelemetry's semantic-convention style: finauth's own under `finauth.`,
 * the general ones (`error.type`, `http.*`, `url.full`) as the conventions name them.
 * @see https://opentelemetry.io/docs/specs/semconv/general/naming/
 */
export const ATTR = {
  providerId: 'finauth.provider.id',
  strategy: 'finauth.strategy',
  outcome: 'finauth.outcome',
  cacheResult: 'finauth.cache.result',
  circuitState: 'finauth.circuit.state',
  event: 'finauth.event',
  errorType: 'error.type',
} as const;

/** OpenTelemetry attributes from finauth's: undefined values dropped. */
export function otelAttributes(attributes: TelemetryAttributes | undefined): Attributes {
  const out: Attributes = {};
  if (!attributes) return out;
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
}

/** `error.type` of a failure: a finauth error's stable code, never its message (which server text may shape). */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.slice(0, 64);
  return error instanceof Error ? error.name : 'unknown';
}
