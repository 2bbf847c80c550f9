import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The real OpenTelemetry SDK, recording in memory, and everything it recorded as one searchable text per span/metric. */
export function recordingOtel(): { tracerProvider: BasicTracerProvider; meterProvider: MeterProvider; texts(): Promise<{ where: string; text: string }[]>; shutdown(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    async texts() {
      const out = exporter.getFinishedSpans().map((s) => ({
        where: `otel.span.${s.name}`,
        text: JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events.map((e) => [e.name, e.attributes]), status: s.status, links: s.links }),
      }));
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) out.push({ where: `otel.metric.${m.descriptor.name}`, text: JSON.stringify(m.dataPoints.map((p) => [p.attributes, p.value])) });
      }
      return out;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
