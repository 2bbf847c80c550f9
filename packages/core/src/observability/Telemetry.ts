/** Event names core emits; strategies may emit their own, prefixed with their kind (`fapi2.`). */
export type CoreTelemetryEventName =
  | 'token.cache_hit'
  | 'token.cache_miss'
  | 'token.wait'
  | 'token.fetched'
  | 'token.failed'
  | 'token.retry'
  | 'token.stale_served'
  | 'token.shared_wait'
  | 'circuit.open'
  | 'circuit.half_open'
  | 'circuit.closed';

export type TelemetryAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface TelemetryEvent {
  readonly name: CoreTelemetryEventName | (string & {});
  readonly providerId: string;
  readonly durationMs?: number;
  readonly attributes?: TelemetryAttributes;
}

/** Span names core starts (docs/guides/observability.md). */
export type CoreSpanName = 'finauth.token.fetch' | 'finauth.token.attempt' | 'finauth.discovery' | 'finauth.http';

export interface TelemetrySpanOptions {
  readonly providerId: string;
  /** `client` for a span around one HTTP request, `internal` otherwise. */
  readonly kind: 'internal' | 'client';
  readonly attributes?: TelemetryAttributes;
  /** The span this one is a child of; without one, the adapter uses the caller's active context. */
  readonly parent?: TelemetrySpan;
}

/**
 * One unit of work as a tracing backend sees it. finauth never puts a secret, key, assertion or
 * token in a name, attribute or event; adapters must not add any either.
 */
export interface TelemetrySpan {
  setAttributes(attributes: TelemetryAttributes): void;
  addEvent(name: string, attributes?: TelemetryAttributes): void;
  /** Ends the span; with an error, marks it failed and records the error's `code` (never its text). */
  end(error?: unknown): void;
  /**
   * Optional: writes trace-context headers (W3C `traceparent`) for this span into an outgoing
   * request. The adapter decides whether to: some banks reject headers they do not know.
   */
  inject?(headers: Record<string, string>): void;
}

/**
 * Receives telemetry (metrics, traces). `emit` must not throw; a throw is swallowed.
 * `startSpan` is optional: when a Telemetry has none, core creates no span objects at all, so
 * an application without tracing pays nothing for it.
 */
export interface Telemetry {
  emit(event: TelemetryEvent): void;
  startSpan?(name: CoreSpanName | (string & {}), options: TelemetrySpanOptions): TelemetrySpan;
}

export const noopTelemetry: Telemetry = { emit: () => undefined };
