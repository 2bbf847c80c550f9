import { expect } from 'chai';
import type { Telemetry, TelemetrySpan, TelemetrySpanOptions } from '../src/observability/Telemetry.js';
import { harness } from './support/harness.js';
import { errorReply, tokenReply } from './support/ScriptedTransport.js';

interface Recorded {
  name: string;
  options: TelemetrySpanOptions;
  attributes: Record<string, unknown>;
  events: string[];
  ended: number;
  error?: unknown;
  span: TelemetrySpan;
}

/** A Telemetry with spans that records what core does with them. */
function recordingTelemetry(): { telemetry: Telemetry; spans: Recorded[] } {
  const spans: Recorded[] = [];
  const telemetry: Telemetry = {
    emit: () => undefined,
    startSpan(name, options) {
      const rec = { name, options, attributes: { ...options.attributes }, events: [], ended: 0 } as unknown as Recorded;
      rec.span = {
        setAttributes: (a) => void Object.assign(rec.attributes, a),
        addEvent: (n) => void rec.events.push(n),
        end: (error) => {
          rec.ended++;
          if (error !== undefined) rec.error = error;
        },
        inject: (headers) => {
          headers['x-trace'] = name;
        },
      };
      spans.push(rec);
      return rec.span;
    },
  };
  return { telemetry, spans };
}

describe('spans (Telemetry.startSpan)', () => {
  it('wraps a fetch and each attempt, ending each exactly once, with the retry as an event', async () => {
    const { telemetry, spans } = recordingTelemetry();
    const h = harness({ retry: { maxRetries: 1, maxDelayMs: 5000 } }, { telemetry });
    h.transport.reply(errorReply(503), tokenReply('t1'));
    await h.auth.getToken('bank');
    expect(spans.map((s) => s.name)).to.deep.equal(['finauth.token.fetch', 'finauth.token.attempt', 'finauth.token.attempt']);
    const [fetch, first, second] = spans;
    expect(spans.every((s) => s.ended === 1)).to.equal(true);
    expect(first!.options.parent).to.equal(fetch!.span);
    expect(first!.attributes).to.include({ 'http.request.method': 'POST', 'url.full': 'https://127.0.0.1:1/token', 'http.response.status_code': 503, 'error.type': 'FINAUTH_TOKEN_ENDPOINT' });
    expect(second!.attributes).to.include({ 'http.response.status_code': 200 });
    expect(second!.error).to.equal(undefined);
    expect(fetch!.events).to.deep.equal(['finauth.retry']);
  });

  it('lets the adapter write trace-context headers into the token request', async () => {
    const { telemetry } = recordingTelemetry();
    const h = harness({}, { telemetry });
    h.transport.reply(tokenReply('t1'));
    await h.auth.getToken('bank');
    expect(h.transport.requests[0]!.headers['x-trace']).to.equal('finauth.token.attempt');
  });

  it('never lets a throwing adapter break token acquisition', async () => {
    const throwing: Telemetry = {
      emit: () => {
        throw new Error('emit broke');
      },
      startSpan: () => {
        throw new Error('startSpan broke');
      },
    };
    const h = harness({}, { telemetry: throwing });
    h.transport.reply(tokenReply('t1'));
    expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
  });

  it('creates no span for a cache hit', async () => {
    const { telemetry, spans } = recordingTelemetry();
    const h = harness({}, { telemetry });
    h.transport.reply(tokenReply('t1'));
    await h.auth.getToken('bank');
    const before = spans.length;
    await h.auth.getToken('bank');
    expect(spans.length).to.equal(before);
  });
});
