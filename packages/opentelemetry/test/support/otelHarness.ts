import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type DataPoint, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it wants (no timer). */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface OtelHarness {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  readonly exporter: InMemorySpanExporter;
  /** A tracer of the application (a caller's span around getToken). */
  readonly appTracer: Tracer;
  spans(): ReadableSpan[];
  spansNamed(name: string): ReadableSpan[];
  collect(): Promise<ResourceMetrics>;
  /** Points of one metric (all attribute sets); [] when the metric has not been recorded. */
  points(name: string): Promise<DataPoint<unknown>[]>;
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * The real OpenTelemetry SDK with in-memory exporters, as an application would set it up: an
 * AsyncLocalStorage context manager (so a caller's active span is visible) and the W3C propagator.
 */
export function startOtel(): OtelHarness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const collect = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new Error(`metric collection failed: ${String(errors[0])}`);
    return resourceMetrics;
  };
  return {
    tracerProvider,
    meterProvider,
    exporter,
    appTracer: tracerProvider.getTracer('app'),
    spans: () => exporter.getFinishedSpans(),
    spansNamed: (name) => exporter.getFinishedSpans().filter((s) => s.name === name),
    collect,
    async points(name) {
      const rm = await collect();
      for (const scope of rm.scopeMetrics) for (const m of scope.metrics) if (m.descriptor.name === name) return m.dataPoints as DataPoint<unknown>[];
      return [];
    },
    reset: () => exporter.reset(),
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
      propagation.disable();
      trace.disable();
    },
  };
}

/** The value of the point whose attributes include all of `match`; 0 when there is none. */
export function valueWhere(points: DataPoint<unknown>[], match: Record<string, unknown>): number {
  let total = 0;
  for (const p of points) {
    if (Object.entries(match).every(([k, v]) => p.attributes[k] === v)) {
      const v = p.value;
      total += typeof v === 'number' ? v : (v as { count: number }).count;
    }
  }
  return total;
}
