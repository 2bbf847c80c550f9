// What telemetry costs on the hot path: `await getToken(id)` from the cache with no telemetry, with
// the OpenTelemetry adapter on the API alone (no SDK in the application: every call a no-op), and
// with the adapter on the real SDK recording metrics and spans. Same loop, rounds alternating.
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { openTelemetry } from '@finauth/opentelemetry';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { fapiProvider } from './clients.mjs';
import { median, now } from './measure.mjs';

class ManualReader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

export async function telemetryCost(origin, m, { iterations = 200_000, rounds = 7 } = {}) {
  const meterProvider = new MeterProvider({ readers: [new ManualReader()] });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const variants = {
    none: createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)] }),
    otelApiOnly: createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)], telemetry: openTelemetry() }),
    otelSdk: createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)], telemetry: openTelemetry({ meterProvider, tracerProvider }) }),
  };
  for (const fa of Object.values(variants)) await fa.getToken('bank');
  const loop = async (fa) => {
    const t0 = now();
    for (let i = 0; i < iterations; i++) await fa.getToken('bank');
    return ((now() - t0) * 1e6) / iterations;
  };
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await loop(variants[n]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length];
      samples[n].push(await loop(variants[n]));
    }
  }
  for (const fa of Object.values(variants)) await fa.close();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  const ns = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  return { ns, otelApiOnlyRatio: ns.otelApiOnly / ns.none, otelSdkRatio: ns.otelSdk / ns.none };
}
