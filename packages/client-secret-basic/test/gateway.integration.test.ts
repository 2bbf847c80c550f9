import { createFinauth, ResponseFormatError, TokenEndpointError, type Finauth } from '@finauth/core';
import { expect } from 'chai';
import { basicCredentials, clientSecretBasic, formUrlEncode } from '../src/index.js';
import { everyRendering, gatewayProvider, RecordingLogger, rejection, sandboxSuite } from '@finauth-test/support';
import { SEED_002_RESPONSE } from './support/seed002.js';

/** A BNP Paribas CIB-style gateway over real TLS, accepting `base64(key:secret)` only. */
describe('client_secret_basic against the BNP-style gateway (sandbox)', () => {
  const suite = sandboxSuite({ gatewayErrorStyle: 'apigee' });
  let auth: Finauth | undefined;
  let logger: RecordingLogger;

  beforeEach(() => {
    suite.sandbox.gateway.setErrorStyle('apigee');
    logger = new RecordingLogger();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  function connect(extra: Record<string, unknown> = {}): Finauth {
    auth = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(suite.sandbox, extra)], logger });
    return auth;
  }
  const tokenRequests = () => suite.sandbox.gateway.log.filter((r) => r.path.startsWith('/oauth2/v1/token'));
  const rawCredentials = () => Buffer.from(`${suite.sandbox.gateway.clientId}:${suite.sandbox.gateway.clientSecret}`).toString('base64');
  /** The secret in every form it could leak in. */
  const secretForms = () => [suite.sandbox.gateway.clientSecret, formUrlEncode(suite.sandbox.gateway.clientSecret), rawCredentials(), basicCredentials(suite.sandbox.gateway.clientId, suite.sandbox.gateway.clientSecret)];
  const expectNoSecret = (text: string) => {
    for (const form of secretForms()) expect(text).not.to.contain(form);
  };

  it('uses a secret that needs encoding (else this file would prove nothing about encodings)', () => {
    expect(formUrlEncode(suite.sandbox.gateway.clientSecret)).not.to.equal(suite.sandbox.gateway.clientSecret);
  });

  describe('credentialEncoding raw (what the gateway wants)', () => {
    it('gets a token: BearerToken becomes Bearer, the string expires_in gives expiresAt, the gateway extra fields stay in raw', async () => {
      const before = Date.now();
      const token = await connect().getToken('bnp');
      const after = Date.now();
      expect(token.providerId).to.equal('bnp');
      expect(token.accessToken).to.be.a('string').and.not.equal('');
      expect(token.tokenType).to.equal('Bearer');
      expect(token.raw['token_type']).to.equal('BearerToken');
      const expiresIn = token.raw['expires_in'];
      expect(expiresIn).to.be.a('string').and.match(/^\d+$/);
      // Local receive time + expires_in: within the window this call ran in.
      const expiresAt = token.expiresAt!.getTime();
      expect(expiresAt).to.be.within(before + Number(expiresIn) * 1000 - 1000, after + Number(expiresIn) * 1000);
      for (const field of ['issued_at', 'api_product_list', 'organization_name', 'status']) expect(token.raw, field).to.have.property(field);
      expect(token.raw['api_product_list']).to.be.a('string');
    });

    it('sends POST, form content type, Accept: application/json, grant_type and base64(key:secret) exactly', async () => {
      await connect({ scope: suite.sandbox.gateway.scopes[0] }).getToken('bnp');
      const [request, ...others] = tokenRequests();
      expect(others).to.have.length(0);
      expect(request!.method).to.equal('POST');
      expect(request!.headers['content-type']).to.equal('application/x-www-form-urlencoded');
      expect(request!.headers['accept']).to.equal('application/json');
      expect(request!.headers['authorization']).to.equal(`Basic ${rawCredentials()}`);
      const body = new URLSearchParams(request!.body);
      expect(body.get('grant_type')).to.equal('client_credentials');
      expect(body.get('scope')).to.equal(suite.sandbox.gateway.scopes[0]);
      expect(body.has('client_id') || body.has('client_secret')).to.equal(false);
    });

    it('sends no scope parameter when none is configured', async () => {
      await connect().getToken('bnp');
      expect(new URLSearchParams(tokenRequests()[0]!.body).has('scope')).to.equal(false);
    });

    it('http() calls /hello with Bearer (never BearerToken) and never with the Basic credentials', async () => {
      const a = connect();
      const response = await a.http('bnp').get(suite.sandbox.gateway.helloUrl);
      expect(response.status).to.equal(200);
      const token = await a.getToken('bnp');
      const hello = suite.sandbox.gateway.log.filter((r) => r.path.startsWith('/hello'));
      expect(hello).to.have.length(1);
      expect(hello[0]!.headers['authorization']).to.equal(`Bearer ${token.accessToken}`);
      // The Basic credentials went to the token endpoint and nowhere else.
      const withBasic = suite.sandbox.gateway.log.filter((r) => JSON.stringify(r).includes(rawCredentials()));
      expect(withBasic.map((r) => r.path)).to.deep.equal(['/oauth2/v1/token']);
    });

    it('the token is cached: a second getToken and http() make no new token request', async () => {
      const a = connect();
      const first = await a.getToken('bnp');
      await a.http('bnp').get(suite.sandbox.gateway.helloUrl);
      expect((await a.getToken('bnp')).accessToken).to.equal(first.accessToken);
      expect(tokenRequests()).to.have.length(1);
    });

    it("reads the BNP Paribas CIB gateway page's sample response end to end", async () => {
      suite.sandbox.gateway.faults.set({ kind: 'json', status: 200, body: SEED_002_RESPONSE, times: 1 });
      const before = Date.now();
      const token = await connect().getToken('bnp');
      expect(token.accessToken).to.equal('9tTeVWjNBcQ3DswGDqfVVAfTawSX');
      expect(token.tokenType).to.equal('Bearer');
      expect(token.scope).to.deep.equal(['pisp', 'piisp', 'aisp', 'extended_transaction_history']);
      expect(token.raw).to.deep.equal(SEED_002_RESPONSE);
      // From the local clock, not from issued_at (2019): the token is not born expired.
      expect(token.expiresAt!.getTime()).to.be.within(before + 1799_000 - 1000, Date.now() + 1799_000);
    });

    it('does not follow a redirect from the token endpoint with the credentials', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 307, headers: { location: suite.sandbox.gateway.helloUrl }, body: '', times: 1 });
      const error = await rejection(() => connect().getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect((error as TokenEndpointError).status).to.equal(307);
      expect(suite.sandbox.gateway.log.map((r) => r.path)).to.deep.equal(['/oauth2/v1/token']);
    });
  });

  describe('credentialEncoding form-urlencoded (explicit) against a gateway that never decodes', () => {
    it('is refused with a non-retryable 401 carrying the gateway message, sent once', async () => {
      const error = await rejection(() => connect({ credentialEncoding: 'form-urlencoded' }).getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect(e.status).to.equal(401);
      expect(e.retryable).to.equal(false);
      expect(e.errorDescription).to.be.a('string').and.not.equal('');
      expect(e.message).to.contain(e.errorDescription);
      expect(tokenRequests()).to.have.length(1);
      expect(tokenRequests()[0]!.headers['authorization']).to.equal(`Basic ${basicCredentials(suite.sandbox.gateway.clientId, suite.sandbox.gateway.clientSecret)}`);
      expectNoSecret(everyRendering(error));
    });
  });

  describe('credentialEncoding auto (the default) against a gateway that never decodes', () => {
    it('sends the RFC 6749 form first, then raw once, remembers raw, says so once, and never sends the refused form again', async () => {
      const events: { name: string; attributes?: Readonly<Record<string, unknown>> }[] = [];
      auth = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(suite.sandbox, { credentialEncoding: undefined })], logger, telemetry: { emit: (e) => void events.push(e) } });
      const token = await auth.getToken('bnp');
      expect(token.accessToken).to.match(/^[A-Za-z0-9]{28}$/);
      const sent = tokenRequests().map((r) => r.headers['authorization']);
      expect(sent).to.deep.equal([`Basic ${basicCredentials(suite.sandbox.gateway.clientId, suite.sandbox.gateway.clientSecret)}`, `Basic ${rawCredentials()}`]);
      expect(events.filter((e) => e.name === 'auth.adapted').map((e) => [e.attributes?.['setting'], e.attributes?.['from'], e.attributes?.['to']])).to.deep.equal([['credentialEncoding', 'form-urlencoded', 'raw']]);
      const warnings = logger.lines.filter((l) => l.level === 'warn');
      expect(warnings).to.have.length(1);
      expect(warnings[0]!.message).to.contain('"credentialEncoding": "raw"');
      // The second fetch starts with what worked: no rejected attempt, no second warning.
      suite.sandbox.gateway.log.clear();
      await auth.getToken('bnp', { forceRefresh: true });
      expect(tokenRequests().map((r) => r.headers['authorization'])).to.deep.equal([`Basic ${rawCredentials()}`]);
      expect(logger.lines.filter((l) => l.level === 'warn')).to.have.length(1);
      expectNoSecret(logger.text());
    });

    it('a wrong secret: both encodings refused once each, the first (standard) rejection surfaces, typed and not retried', async () => {
      const wrong = `${suite.sandbox.gateway.clientSecret}x`;
      const error = await rejection(() => connect({ credentialEncoding: undefined, clientSecret: wrong }).getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).retryable]).to.deep.equal([401, false]);
      expect(tokenRequests().map((r) => r.headers['authorization'])).to.deep.equal([`Basic ${basicCredentials(suite.sandbox.gateway.clientId, wrong)}`, `Basic ${Buffer.from(`${suite.sandbox.gateway.clientId}:${wrong}`).toString('base64')}`]);
      for (const text of [wrong, formUrlEncode(wrong), basicCredentials(suite.sandbox.gateway.clientId, wrong)]) expect(everyRendering(error)).not.to.contain(text);
    });
  });

  describe('failures', () => {
    for (const style of ['apigee', 'fault'] as const) {
      it(`a wrong secret is a non-retryable 401 with the gateway's ${style}-style message`, async () => {
        suite.sandbox.gateway.setErrorStyle(style);
        const wrong = `${suite.sandbox.gateway.clientSecret}x`;
        const error = await rejection(() => connect({ clientSecret: wrong }).getToken('bnp'));
        expect(TokenEndpointError.is(error), String(error)).to.equal(true);
        const e = error as TokenEndpointError;
        expect([e.status, e.retryable]).to.deep.equal([401, false]);
        expect(e.error).to.be.a('string').and.not.equal('');
        expect(e.errorDescription).to.be.a('string').and.not.equal('');
        expect(tokenRequests()).to.have.length(1);
        expectNoSecret(everyRendering(error));
        for (const text of [wrong, formUrlEncode(wrong)]) expect(everyRendering(error)).not.to.contain(text);
      });
    }

    it('an unknown client is a non-retryable 401', async () => {
      const error = await rejection(() => connect({ clientId: 'no-such-consumer-key' }).getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).retryable]).to.deep.equal([401, false]);
      expect(tokenRequests()).to.have.length(1);
      expectNoSecret(everyRendering(error));
    });

    it('a scope the client may not have is refused and not retried', async () => {
      const forbidden = 'not_granted_scope';
      expect(suite.sandbox.gateway.scopes).not.to.include(forbidden);
      const error = await rejection(() => connect({ scope: forbidden }).getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect(e.status).to.be.oneOf([400, 401, 403]);
      expect(e.retryable).to.equal(false);
      expect(`${e.error} ${e.errorDescription}`).to.match(/scope/i);
      expect(tokenRequests()).to.have.length(1);
    });

    it('a 429 with Retry-After is waited out, then the token comes', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 429, retryAfter: '1', times: 1 });
      const started = Date.now();
      const token = await connect().getToken('bnp');
      expect(token.accessToken).to.be.a('string').and.not.equal('');
      expect(tokenRequests()).to.have.length(2);
      const retries = logger.lines.filter((l) => l.message === 'retrying token request');
      expect(retries).to.have.length(1);
      expect(retries[0]!.fields?.['delayMs']).to.be.at.least(1000);
      expect(Date.now() - started).to.be.below(10_000);
      expect(new Set(tokenRequests().map((r) => r.headers['authorization'])).size).to.equal(1);
    });

    it('a 429 asking for longer than retry.maxDelayMs fails at once, retryable, with retryAfterMs', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 429, retryAfter: '30', times: 1 });
      const error = await rejection(() => connect().getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect([e.status, e.retryable, e.retryAfterMs]).to.deep.equal([429, true, 30_000]);
      expect(tokenRequests()).to.have.length(1);
    });

    it('a 503 once is retried and then succeeds', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 503, times: 1 });
      const token = await connect().getToken('bnp');
      expect(token.tokenType).to.equal('Bearer');
      expect(tokenRequests()).to.have.length(2);
    });

    it('a 503 that persists fails after 1 + maxRetries attempts', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 503 });
      const error = await rejection(() => connect({ retry: { maxRetries: 2, maxDelayMs: 200, baseDelayMs: 10 } }).getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).retryable]).to.deep.equal([503, true]);
      expect(tokenRequests()).to.have.length(3);
    });

    it('an HTML page with 200 is a ResponseFormatError naming it', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'html', times: 1 });
      const error = await rejection(() => connect().getToken('bnp'));
      expect(ResponseFormatError.is(error), String(error)).to.equal(true);
      expect((error as Error).message).to.contain('HTML');
      expect(tokenRequests()).to.have.length(1);
    });

    it('an HTML error page with 500 is a TokenEndpointError naming it, not retried', async () => {
      const page = '<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>';
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 500, body: page, headers: { 'content-type': 'text/html' }, times: 1 });
      const error = await rejection(() => connect().getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect([e.status, e.retryable]).to.deep.equal([500, false]);
      expect(e.message).to.contain('HTML');
      expect(e.message).not.to.contain('<h1>');
      expect(tokenRequests()).to.have.length(1);
    });
  });

  describe('secrets', () => {
    it('a gateway echoing the secret and the Basic credentials gets them redacted from the error and the logs', async () => {
      const echoed = `client ${suite.sandbox.gateway.clientId} sent Basic ${rawCredentials()} with secret ${suite.sandbox.gateway.clientSecret}`;
      suite.sandbox.gateway.faults.set({ kind: 'json', status: 401, body: { ErrorCode: 'invalid_client', Error: echoed }, times: 1 });
      const error = await rejection(() => connect().getToken('bnp'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect((error as TokenEndpointError).errorDescription).to.contain('[REDACTED]');
      expectNoSecret(everyRendering(error));
      expectNoSecret(logger.text());
    });

    it('never writes the secret to the log, on success or on retries', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 503, times: 1 });
      const a = connect();
      await a.getToken('bnp');
      await a.http('bnp').get(suite.sandbox.gateway.helloUrl);
      expect(logger.lines.length).to.be.greaterThan(0);
      expectNoSecret(logger.text());
    });
  });
});
