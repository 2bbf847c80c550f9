/** Event names core emits; strategies may emit their own, prefixed with their kind (`fapi2.`). */
export type CoreTelemetryEventName =
  | 'token.cache_hit'
  | 'token.fetched'
  | 'token.failed'
  | 'token.retry'
  | 'token.stale_served'
  | 'token.shared_wait'
  | 'circuit.open'
  | 'circuit.half_open'
  | 'circuit.closed';

export interface TelemetryEvent {
  readonly name: CoreTelemetryEventName | (string & {});
  readonly providerId: string;
  readonly durationMs?: number;
  readonly attributes?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** Receives telemetry events (metrics, traces). Must not throw; a throw is swallowed. */
export interface Telemetry {
  emit(event: TelemetryEvent): void;
}

export const noopTelemetry: Telemetry = { emit: () => undefined };
