// docs/guides/observability.md, "Export to Prometheus": finauth's metrics on a /metrics endpoint of
// the application's own HTTP server. Run by test/prometheusExample.test.ts.
import { createServer, type Server } from 'node:http';
import { createFinauth, type Finauth, type FinauthOptions } from '@finauth/core';
import { openTelemetry } from '@finauth/opentelemetry';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

export async function startWithPrometheus(options: Omit<FinauthOptions, 'telemetry'>): Promise<{ auth: Finauth; metricsUrl: string; stop(): Promise<void> }> {
  // The exporter is a metric reader; `preventServerStart` lets the application serve it itself.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const auth = createFinauth({ ...options, telemetry: openTelemetry({ meterProvider }) });

  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') exporter.getMetricsRequestHandler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    auth,
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
    async stop() {
      await auth.close();
      await new Promise((resolve) => server.close(resolve));
      await meterProvider.shutdown();
    },
  };
}
