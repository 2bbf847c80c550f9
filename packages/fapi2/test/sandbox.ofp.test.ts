import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { ConfigError, createFinauth, DiscoveryError, TokenEndpointError, TransportError, type Finauth, type FinauthOptions } from '@finauth/core';
import { type LoggedRequest, type Sandbox } from '@finauth/sandbox';
import { fapiProvider, RecordingLogger, RecordingTelemetry, sandboxSuite } from '@finauth-test/support';
import { fapi2 } from '../src/index.js';
import { ManualClock } from './helpers/ManualClock.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('fapi2 against the sandbox OFP (oidc-provider, FAPI 2.0, real mutual TLS)', function () {
  const suite = sandboxSuite();


  function finauth(providers: Record<string, unknown>[], extra: Partial<FinauthOptions> = {}): Finauth {
    const auth = createFinauth({ strategies: [fapi2()], providers, ...extra });
    suite.track(auth);
    return auth;
  }

  const tokenPosts = (): LoggedRequest[] => suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token');

  it('gets a PS256 private_key_jwt token the server accepts as active', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')]);
    const token = await auth.getToken('ps256');
    expect(token.tokenType).to.equal('Bearer');
    expect(token.scope).to.deep.equal(['accounts']);
    const info = await suite.sandbox.ofp.introspect(token.accessToken);
    expect(info['active']).to.equal(true);
    expect(info['client_id']).to.equal(suite.sandbox.ofp.clients.ps256.clientId);
    const assertion = new URLSearchParams(tokenPosts()[0]!.body).get('client_assertion')!;
    expect(decodeJwt(assertion).aud).to.equal(suite.sandbox.ofp.issuer);
  });

  it('gets an ES256 private_key_jwt token', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'es256')]);
    const token = await auth.getToken('es256');
    const info = await suite.sandbox.ofp.introspect(token.accessToken);
    expect(info['active']).to.equal(true);
    expect(info['client_id']).to.equal(suite.sandbox.ofp.clients.es256.clientId);
  });

  it('gets a tls_client_auth token: client_id in the body, no assertion', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'tlsClientAuth')]);
    const token = await auth.getToken('tlsClientAuth');
    const info = await suite.sandbox.ofp.introspect(token.accessToken);
    expect(info['active']).to.equal(true);
    expect(info['client_id']).to.equal(suite.sandbox.ofp.clients.tlsClientAuth.clientId);
    const body = new URLSearchParams(tokenPosts()[0]!.body);
    expect(body.get('client_id')).to.equal(suite.sandbox.ofp.clients.tlsClientAuth.clientId);
    expect(body.has('client_assertion')).to.equal(false);
  });

  it('binds the token to the transport certificate (cnf x5t#S256, RFC 8705 §3.1)', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')]);
    const token = await auth.getToken('ps256');
    const info = await suite.sandbox.ofp.introspect(token.accessToken);
    const der = new X509Certificate(readFileSync(suite.sandbox.pki.clients.transport.cert)).raw;
    const thumbprint = createHash('sha256').update(der).digest('base64url');
    expect((info['cnf'] as Record<string, unknown> | undefined)?.['x5t#S256']).to.equal(thumbprint);
  });

  it('posts to the advertised mTLS alias on another port, not to token_endpoint (RFC 8705 §5)', async () => {
    expect(suite.sandbox.ofp.mtlsTokenEndpoint).to.be.a('string');
    expect(new URL(suite.sandbox.ofp.mtlsTokenEndpoint!).port).to.not.equal(new URL(suite.sandbox.ofp.tokenEndpoint).port);
    const before = { ...suite.sandbox.ofp.stats.tokenRequests };
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')]);
    await auth.getToken('ps256');
    expect(suite.sandbox.ofp.stats.tokenRequests.alias).to.equal(before.alias + 1);
    expect(suite.sandbox.ofp.stats.tokenRequests.main).to.equal(before.main);
    expect(tokenPosts().map((l) => l.listener)).to.deep.equal(['alias']);
  });

  it('sends a fresh x-fapi-interaction-id to discovery and token endpoint, and the optional FAPI headers', async () => {
    const telemetry = new RecordingTelemetry();
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { fapiHeaders: { customerUserAgent: 'finauth-test/1.0' } })], { telemetry });
    await auth.getToken('ps256', { strategyOptions: { fapiCustomerIpAddress: '198.51.100.23', fapiAuthDate: 'Sun, 10 Sep 2017 19:43:31 UTC' } });
    const ids = suite.sandbox.ofp.log.map((l) => l.headers['x-fapi-interaction-id']);
    expect(ids).to.have.length(2);
    for (const id of ids) expect(id).to.match(UUID);
    expect(ids[0]).to.not.equal(ids[1]);
    const post = tokenPosts()[0]!;
    expect(post.headers['x-fapi-auth-date']).to.equal('Sun, 10 Sep 2017 19:43:31 GMT');
    expect(post.headers['x-fapi-customer-ip-address']).to.equal('198.51.100.23');
    expect(post.headers['x-customer-user-agent']).to.equal('finauth-test/1.0');
    // The sandbox echoes the id: no mismatch reported.
    expect(telemetry.named('fapi2.interaction_id_mismatch')).to.have.length(0);
  });

  it('is a DiscoveryError when the document names another issuer (RFC 8414 §3.3)', async () => {
    // Same server, but configured with a trailing slash: not identical, so not this issuer.
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { issuer: `${suite.sandbox.ofp.issuer}/` })]);
    const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
    expect(DiscoveryError.is(error), String(error)).to.equal(true);
    expect((error as DiscoveryError).message).to.contain('names issuer');
    expect(tokenPosts()).to.have.length(0);
  });

  it('is a TokenEndpointError invalid_client, with the interaction id, for a key the bank did not register', async () => {
    const unregistered = suite.sandbox.pki.signing.unregisteredSigning;
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { clientAuth: { signingKey: `file:${unregistered.key}`, kid: unregistered.kid, alg: unregistered.alg } })]);
    const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    const e = error as TokenEndpointError;
    expect(e.status).to.equal(401);
    expect(e.error).to.equal('invalid_client');
    expect(e.retryable).to.equal(false);
    expect(e.interactionId).to.equal(tokenPosts()[0]!.headers['x-fapi-interaction-id']);
  });

  it('is a TokenEndpointError invalid_client for tls_client_auth with a certificate of another subject', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'tlsClientAuth', { cert: 'unregistered' })]);
    const error = await auth.getToken('tlsClientAuth').then(() => undefined, (e: unknown) => e);
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect((error as TokenEndpointError).error).to.equal('invalid_client');
  });

  it('is a TransportError when the client certificate is from a CA the server does not trust', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { cert: 'foreign', retry: { maxRetries: 0 } })]);
    const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
    expect(TransportError.is(error), String(error)).to.equal(true);
    // Under TLS 1.3 the server judges the client certificate after the client's handshake is done:
    // the client sees the connection torn down (a reset), not a handshake alert.
    expect(['tls', 'network']).to.include((error as TransportError).reason);
    expect(tokenPosts()).to.have.length(0);
  });

  it('is a ConfigError at creation for an expired client certificate', () => {
    try {
      finauth([fapiProvider(suite.sandbox, 'ps256', { cert: 'expired' })]);
      expect.fail('createFinauth accepted an expired certificate');
    } catch (e) {
      expect(ConfigError.is(e), String(e)).to.equal(true);
      const issue = (e as ConfigError).issues.find((i) => i.path === 'providers[0].tls.cert');
      expect(issue?.message).to.contain('expired');
    }
  });

  it('warns through the logger about a certificate expiring within 30 days, and still works', async () => {
    const logger = new RecordingLogger();
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { cert: 'expiringSoon' })], { logger });
    const warning = logger.lines.find((l) => l.level === 'warn' && /tls\.cert expires in \d+ days/.test(l.message));
    expect(warning?.fields?.['providerId']).to.equal('ps256');
    const token = await auth.getToken('ps256');
    expect((await suite.sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
  });

  it('is a TransportError (tls) when the server certificate is not trusted (no tls.ca)', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { tls: { ca: undefined }, retry: { maxRetries: 0 } })]);
    const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
    expect(TransportError.is(error), String(error)).to.equal(true);
    expect((error as TransportError).reason).to.equal('tls');
    expect(suite.sandbox.ofp.log).to.have.length(0);
  });

  it('builds a new assertion for a retry: two different jti values reach the server', async () => {
    suite.sandbox.ofp.faults.set({ kind: 'status', status: 503, times: 1, retryAfter: 0 });
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { retry: { maxRetries: 2, baseDelayMs: 10 } })]);
    const token = await auth.getToken('ps256');
    expect(token.accessToken).to.be.a('string');
    const posts = tokenPosts();
    expect(posts).to.have.length(2);
    const jtis = posts.map((p) => decodeJwt(new URLSearchParams(p.body).get('client_assertion')!).jti);
    expect(jtis[0]).to.be.a('string');
    expect(jtis[0]).to.not.equal(jtis[1]);
    expect(posts[0]!.headers['x-fapi-interaction-id']).to.not.equal(posts[1]!.headers['x-fapi-interaction-id']);
  });

  it('http() reaches the certificate-bound resource with a fresh interaction id per call', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')]);
    const client = auth.http('ps256');
    const first = await client.get(suite.sandbox.ofp.resourceUrl);
    const second = await client.get(suite.sandbox.ofp.resourceUrl);
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
    const gets = suite.sandbox.ofp.log.filter((l) => l.path === '/providers');
    expect(gets).to.have.length(2);
    expect(gets[0]!.headers['authorization']).to.match(/^Bearer /);
    expect(gets[0]!.headers['x-fapi-interaction-id']).to.match(UUID);
    expect(gets[0]!.headers['x-fapi-interaction-id']).to.not.equal(gets[1]!.headers['x-fapi-interaction-id']);
  });

  it('dates the assertion by the server clock after a rejection when the local clock is 10 minutes behind', async () => {
    const clock = new ManualClock(Date.now() - 600_000);
    const real = { now: (): number => Date.now() - 600_000, sleep: clock.sleep.bind(clock) };
    const telemetry = new RecordingTelemetry();
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')], { clock: real, telemetry });
    const token = await auth.getToken('ps256');
    expect(token.accessToken).to.be.a('string');
    const posts = tokenPosts();
    expect(posts).to.have.length(2);
    const iats = posts.map((p) => Number(decodeJwt(new URLSearchParams(p.body).get('client_assertion')!).iat));
    expect(iats[1]! - iats[0]!).to.be.within(590, 610);
    const events = telemetry.named('fapi2.clock_offset');
    expect(events).to.have.length(1);
    expect(Number(events[0]!.attributes?.['offsetMs'])).to.be.within(590_000, 610_000);
  });

  it('rejects aud = token endpoint at a FAPI 2.0 server: the issuer default matters', async () => {
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { clientAuth: { audience: 'token_endpoint' } })]);
    const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect((error as TokenEndpointError).error).to.equal('invalid_client');
    const aud = decodeJwt(new URLSearchParams(tokenPosts()[0]!.body).get('client_assertion')!).aud;
    expect(aud).to.equal(suite.sandbox.ofp.mtlsTokenEndpoint);
  });

  it('never puts the signing key, transport key, assertion or token in errors or log lines', async () => {
    const logger = new RecordingLogger();
    const signingPem = readFileSync(suite.sandbox.pki.signing.ps256.key, 'utf8');
    const transportKeyPem = readFileSync(suite.sandbox.pki.clients.transport.key, 'utf8');
    const secretLines = [signingPem, transportKeyPem].flatMap((p) => p.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')));
    const unregistered = suite.sandbox.pki.signing.unregisteredSigning;
    const bad = finauth([fapiProvider(suite.sandbox, 'ps256', { id: 'bad', clientAuth: { signingKey: `file:${unregistered.key}`, kid: unregistered.kid } })], { logger });
    const failed = await bad.getToken('bad').then(() => undefined, (e: unknown) => e);
    expect(TokenEndpointError.is(failed)).to.equal(true);
    secretLines.push(...readFileSync(unregistered.key, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')));
    const auth = finauth([fapiProvider(suite.sandbox, 'ps256')], { logger });
    const token = await auth.getToken('ps256');
    await auth.http('ps256').get(suite.sandbox.ofp.resourceUrl);
    const assertions = tokenPosts().map((p) => new URLSearchParams(p.body).get('client_assertion')!);
    const texts = [String((failed as Error).message), JSON.stringify(failed), String((failed as Error).stack), logger.text()];
    for (const text of texts) {
      for (const line of secretLines) expect(text).to.not.contain(line);
      for (const a of assertions) expect(text).to.not.contain(a);
      expect(text).to.not.contain(token.accessToken);
    }
  });

  describe('the OFP token endpoint OpenAPI description error responses through core\'s parser, each keeping x-fapi-interaction-id', () => {
    const cases: { status: number; body?: Record<string, unknown>; check: (e: TokenEndpointError) => void }[] = [
      { status: 400, body: { error: 'invalid_request', error_description: 'scope is missing' }, check: (e) => expect([e.error, e.errorDescription]).to.deep.equal(['invalid_request', 'scope is missing']) },
      { status: 404, body: { errors: ['Resource not found', 'check the URL'] }, check: (e) => expect(e.errors).to.deep.equal(['Resource not found', 'check the URL']) },
      { status: 406, check: (e) => expect(e.retryable).to.equal(false) },
      { status: 500, check: (e) => expect(e.retryable).to.equal(false) },
      { status: 502, check: (e) => expect(e.retryable).to.equal(true) },
      { status: 504, check: (e) => expect(e.retryable).to.equal(true) },
    ];
    for (const c of cases) {
      it(`HTTP ${c.status}`, async () => {
        suite.sandbox.ofp.faults.set({ kind: 'status', status: c.status, ...(c.body ? { body: c.body } : {}) });
        const auth = finauth([fapiProvider(suite.sandbox, 'ps256', { retry: { maxRetries: 0 } })]);
        const error = await auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
        expect(TokenEndpointError.is(error), String(error)).to.equal(true);
        const e = error as TokenEndpointError;
        expect(e.status).to.equal(c.status);
        const sent = tokenPosts().at(-1)!.headers['x-fapi-interaction-id'];
        expect(e.interactionId).to.be.a('string').and.equal(sent);
        c.check(e);
      });
    }

    it('HTTP 429 is retried after Retry-After, then succeeds', async () => {
      suite.sandbox.ofp.faults.set({ kind: 'status', status: 429, retryAfter: 1, times: 1 });
      const telemetry = new RecordingTelemetry();
      const auth = finauth([fapiProvider(suite.sandbox, 'ps256')], { telemetry });
      const started = Date.now();
      const token = await auth.getToken('ps256');
      expect(token.accessToken).to.be.a('string');
      expect(tokenPosts()).to.have.length(2);
      const retry = telemetry.named('token.retry');
      expect(retry).to.have.length(1);
      expect(Number(retry[0]!.attributes?.['delayMs'])).to.be.at.least(1000);
      expect(Date.now() - started).to.be.at.least(900);
    });
  });
});
