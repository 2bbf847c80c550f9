import { context, metrics, SpanKind, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { Telemetry, TelemetryEvent, TelemetrySpan, TelemetrySpanOptions } from '@finauth/core';
import { otelAttributes } from './attributes.js';
import { FinauthMetrics } from './FinauthMetrics.js';
import { OtelSpan } from './OtelSpan.js';

export interface OpenTelemetryOptions {
  /** Default: the global one (`trace.getTracerProvider()`), i.e. whatever the application's SDK registered. */
  readonly tracerProvider?: TracerProvider;
  /** Default: the global one (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
  /**
   * Send W3C `traceparent` (and `tracestate`) with token requests, through the application's
   * registered propagator. Off by default: some banks reject headers they do not know.
   */
  readonly propagateTraceContext?: boolean;
  /** Spans (default true). */
  readonly traces?: boolean;
  /** Metrics (default true). */
  readonly metrics?: boolean;
  /** Wall clock for the time-to-expiry gauge; give finauth's clock when it is not the system's. */
  readonly now?: () => number;
}

const SCOPE_NAME = '@finauth/opentelemetry';

/**
 * finauth's telemetry as OpenTelemetry metrics and spans, for `createFinauth({ telemetry })`.
 * Depends on `@opentelemetry/api` only: without an SDK in the application every call is a no-op.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  const now = options.now ?? Date.now;
  const recorder = options.metrics === false ? undefined : new FinauthMetrics((options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME), now);
  const telemetry: Telemetry = {
    emit(event: TelemetryEvent): void {
      recorder?.record(event);
    },
  };
  if (options.traces === false) return telemetry;
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME);
  const propagate = options.propagateTraceContext === true;
  telemetry.startSpan = (name: string, spanOptions: TelemetrySpanOptions): TelemetrySpan => {
    const parent = spanOptions.parent instanceof OtelSpan ? trace.setSpan(context.active(), spanOptions.parent.span) : context.active();
    const kind = spanOptions.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
    return new OtelSpan(tracer.startSpan(name, { kind, attributes: otelAttributes(spanOptions.attributes) }, parent), propagate);
  };
  return telemetry;
}
