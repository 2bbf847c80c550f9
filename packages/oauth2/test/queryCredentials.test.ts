import { inspect } from 'node:util';
import { ConfigError, createFinauth, TokenEndpointError, TransportError, type TelemetrySpan, type TelemetrySpanOptions } from '@finauth/core';
import { formUrlEncode } from '@finauth/client-auth';
import { startStetLike, type EmulatedServer } from '@finauth/sandbox';
import { expect } from 'chai';
import { everyRendering, RecordingLogger, RecordingTelemetry, rejection } from '@finauth-test/support';
import { oauth2 } from '../src/index.js';
import { connect, testPki, type Recorded, type TestPki } from './support/fixture.js';

/** A Telemetry that also records every span: name, options, attributes, events and the error it ended with. */
class SpanRecordingTelemetry extends RecordingTelemetry {
  readonly spans: unknown[] = [];
  startSpan(name: string, options: TelemetrySpanOptions): TelemetrySpan {
    const record: { name: string; options: TelemetrySpanOptions; attributes: unknown[]; events: unknown[]; error?: string } = { name, options, attributes: [], events: [] };
    this.spans.push(record);
    return {
      setAttributes: (a) => void record.attributes.push(a),
      addEvent: (n, a) => void record.events.push([n, a]),
      end: (error) => void (record.error = error === undefined ? undefined : everyRendering(error)),
    };
  }
}

/**
 * client_secret_post with `credentialPlacement: "query"` against a STET-style bank that reads the
 * credentials only from the URL (packages/sandbox/src/emulators/stetLike.ts). The secret travels
 * in a URL, so that URL must never be shown: not in an error (message, toJSON, stack, cause), a log
 * line, a telemetry event or a span attribute.
 */
describe('oauth2 client_secret_post with the credentials in the query (STET-style bank)', () => {
  const clientId = 'PSDFR-ACPR-12345';
  const secret = 'q+u/e:r%y s&e=cret-Value';
  let p: TestPki;
  let server: EmulatedServer;
  let careless: EmulatedServer;
  let recorded: Recorded | undefined;

  before(async () => {
    p = await testPki();
    server = await startStetLike({ tls: p.tls, clientId, clientSecret: secret });
    careless = await startStetLike({ tls: p.tls, clientId, clientSecret: secret, echoRequestInErrors: true });
  });
  after(async () => {
    await server?.stop();
    await careless?.stop();
    p?.dispose();
  });
  beforeEach(() => {
    for (const s of [server, careless]) {
      s.faults.clear();
      s.log.length = 0;
    }
  });
  afterEach(async () => {
    await recorded?.auth.close();
    recorded = undefined;
  });

  const provider = (at: EmulatedServer, extra: Record<string, unknown> = {}, clientAuth: Record<string, unknown> = {}): Record<string, unknown> => ({
    tokenEndpoint: at.tokenEndpoint,
    clientId,
    scope: 'pisp',
    clientAuth: { method: 'client_secret_post', clientSecret: secret, credentialPlacement: 'query', ...clientAuth },
    tls: { ca: p.tls.ca },
    ...extra,
  });
  const use = (r: Recorded): Recorded => (recorded = r);
  const posts = (at: EmulatedServer) => at.log.filter((l) => l.method === 'POST');
  /** The secret in every form a URL or a form could carry it, and the query finauth sent. */
  const leaks = (value: string, sentQueries: readonly string[] = []): string[] => [value, formUrlEncode(value), encodeURIComponent(value), ...sentQueries];
  const expectNoLeak = (text: string, forms: readonly string[]): void => {
    for (const form of forms) expect(text).not.to.contain(form);
    expect(text).not.to.match(/client_secret=(?!\[REDACTED\])/);
  };

  it('gets a token: client_id and client_secret in the query only, grant_type and scope in the body, no Authorization header', async () => {
    const r = use(connect(provider(server)));
    const token = await r.auth.getToken('p');
    await r.auth.getToken('p', { forceRefresh: true });
    expect(token.accessToken).to.be.a('string');
    expect(server.stats).to.deep.include({ tokenRequests: 2, rejected: 0 });
    const [first] = posts(server);
    const url = new URL(first!.path, server.tokenEndpoint);
    expect(url.pathname).to.equal('/psd2/oauth/token');
    expect([url.searchParams.get('client_id'), url.searchParams.get('client_secret')]).to.deep.equal([clientId, secret]);
    const body = new URLSearchParams(first!.body);
    expect([...body.keys()].sort()).to.deep.equal(['grant_type', 'scope']);
    expect(body.get('grant_type')).to.equal('client_credentials');
    expect(first!.headers['authorization']).to.equal(undefined);
    expect(r.events.filter((e) => e.name === 'auth.adapted')).to.deep.equal([]);
    expectNoLeak(r.logText(), leaks(secret));
  });

  it('keeps a query the token endpoint already has, and sends each credential once', async () => {
    const r = use(connect(provider(server, { tokenEndpoint: `${server.tokenEndpoint}?realm=psd2` })));
    await r.auth.getToken('p');
    const query = new URL(posts(server)[0]!.path, server.tokenEndpoint).searchParams;
    expect([query.get('realm'), query.getAll('client_id'), query.getAll('client_secret')]).to.deep.equal(['psd2', [clientId], [secret]]);
  });

  it('the RFC 6749 placement (body, the default) is refused by this bank: one attempt, typed, never moved to the URL by adaptation', async () => {
    const r = use(connect(provider(server, {}, { credentialPlacement: undefined })));
    const error = await rejection(() => r.auth.getToken('p'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error, (error as TokenEndpointError).retryable]).to.deep.equal([401, 'invalid_client', false]);
    expect(server.stats.reasons.slice(-1)).to.deep.equal(['no credentials in the query (sent in the body)']);
    expect(posts(server)).to.have.length(1);
    expect(new URL(posts(server)[0]!.path, server.tokenEndpoint).search).to.equal('');
    expectNoLeak(everyRendering(error), leaks(secret));
  });

  it('a wrong secret at a bank that echoes the request URL: a typed 401, and the URL is in no error, log line, event or span', async () => {
    const wrong = 'wrong+se/cret:%41-value';
    const telemetry = new SpanRecordingTelemetry();
    const logger = new RecordingLogger();
    const auth = createFinauth({ strategies: [oauth2()], providers: [{ id: 'p', strategy: 'oauth2', ...provider(careless, { retry: { maxRetries: 0 } }, { clientSecret: wrong }) }], logger, telemetry });
    try {
      const error = await rejection(() => auth.getToken('p'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error]).to.deep.equal([401, 'invalid_client']);
      const sent = posts(careless).map((l) => new URL(l.path, careless.tokenEndpoint).search.slice(1));
      expect(sent).to.have.length(1);
      expect(new URLSearchParams(sent[0]).get('client_secret')).to.equal(wrong);
      // The bank quoted the request line: finauth masked what it sent, and kept the rest.
      expect((error as TokenEndpointError).message).to.contain('client authentication failed for POST /psd2/oauth/token?').and.to.contain('[REDACTED]');
      const forms = leaks(wrong, sent);
      expectNoLeak(everyRendering(error), forms);
      expectNoLeak(inspect(error, { depth: 8, showHidden: true }), forms);
      expectNoLeak(logger.text(), forms);
      expectNoLeak(JSON.stringify(telemetry.events), forms);
      expectNoLeak(JSON.stringify(telemetry.spans), forms);
      const attempts = (telemetry.spans as { name: string; attributes: Record<string, unknown>[] }[]).filter((s) => s.name === 'finauth.token.attempt');
      expect(attempts).to.have.length(1);
      expect(attempts[0]!.attributes.map((a) => a['url.full']).filter(Boolean)).to.deep.equal([careless.tokenEndpoint]);
      // The URL is built per attempt and kept nowhere. (The raw secret itself is in core's
      // declaredSecrets, visible to util.inspect of the Finauth object, as for every secret method.)
      expectNoLeak(inspect(auth, { depth: 12, showHidden: true }), sent);
    } finally {
      await auth.close();
    }
  });

  it('a 503 retried, then a 500: typed, and the URL is in no error, log line or event', async () => {
    server.faults.set({ kind: 'status', status: 503, times: 1 });
    server.faults.enqueue({ kind: 'status', status: 500, times: 1 });
    const r = use(connect(provider(server, { retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } })));
    const error = await rejection(() => r.auth.getToken('p'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect([(error as TokenEndpointError).status, (error as TokenEndpointError).retryable]).to.deep.equal([500, false]);
    expect(posts(server)).to.have.length(2);
    expect(r.lines.some((l) => l.message === 'retrying token request')).to.equal(true);
    const forms = leaks(secret, posts(server).map((l) => new URL(l.path, server.tokenEndpoint).search.slice(1)));
    expectNoLeak(everyRendering(error), forms);
    expectNoLeak(r.logText(), forms);
    expectNoLeak(JSON.stringify(r.events), forms);
  });

  it('a connection reset: the TransportError names the endpoint without its query', async () => {
    server.faults.set({ kind: 'reset', times: 1 });
    const r = use(connect(provider(server)));
    const error = await rejection(() => r.auth.getToken('p'));
    expect(TransportError.is(error), String(error)).to.equal(true);
    expect((error as TransportError).message).to.contain(`${server.tokenEndpoint} failed`);
    expectNoLeak(everyRendering(error), leaks(secret, [`client_id=${clientId}`]));
    expectNoLeak(r.logText(), leaks(secret));
  });

  it('credentialPlacement is checked: only client_secret_post takes it, and only body or query', () => {
    for (const [clientAuth, message] of [
      [{ method: 'client_secret_basic', credentialPlacement: 'query' }, 'is not used with client_secret_basic'],
      [{ credentialPlacement: 'header' }, 'must be one of: body, query'],
    ] as const) {
      let thrown: unknown;
      try {
        createFinauth({ strategies: [oauth2()], providers: [{ id: 'p', strategy: 'oauth2', ...provider(server, {}, clientAuth) }] });
      } catch (error) {
        thrown = error;
      }
      expect(ConfigError.is(thrown), String(thrown)).to.equal(true);
      const issue = (thrown as ConfigError).issues.find((i) => i.path.endsWith('clientAuth.credentialPlacement'));
      expect(issue?.message, JSON.stringify((thrown as ConfigError).issues)).to.contain(message);
      expectNoLeak(everyRendering(thrown), leaks(secret));
    }
  });
});
