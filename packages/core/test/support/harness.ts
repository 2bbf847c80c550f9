import { createFinauth } from '../../src/createFinauth.js';
import type { Finauth } from '../../src/Finauth.js';
import type { FinauthOptions } from '../../src/config/FinauthOptions.js';
import type { TelemetryEvent } from '../../src/observability/Telemetry.js';
import { FakeClock } from './FakeClock.js';
import { ScriptedTransport } from './ScriptedTransport.js';
import { stubProvider, stubStrategyModule, type StubStrategy } from './stubStrategy.js';

export interface Harness {
  auth: Finauth;
  clock: FakeClock;
  transport: ScriptedTransport;
  strategies: StubStrategy[];
  events: TelemetryEvent[];
  logs: Array<{ level: string; message: string; fields?: Readonly<Record<string, unknown>> }>;
}

/** A finauth instance over the stub strategy, a scripted transport and a fake clock, wired through DI. */
export function harness(providerOverrides: Record<string, unknown> = {}, options: Partial<FinauthOptions> = {}): Harness {
  const clock = new FakeClock();
  const transport = new ScriptedTransport();
  const strategies: StubStrategy[] = [];
  const events: TelemetryEvent[] = [];
  const logs: Harness['logs'] = [];
  const log = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const auth = createFinauth({
    strategies: [stubStrategyModule('stub', strategies)],
    providers: [stubProvider(providerOverrides)],
    clock,
    transportFactory: transport.factory(),
    telemetry: { emit: (e) => void events.push(e) },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
  });
  return { auth, clock, transport, strategies, events, logs };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
