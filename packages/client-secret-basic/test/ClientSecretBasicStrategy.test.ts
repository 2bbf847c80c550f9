import { ConfigError, createFinauth, noopTelemetry, ResponseFormatError, silentLogger, TokenEndpointError, type Finauth, type StrategyContext } from '@finauth/core';
import { expect } from 'chai';
import { basicCredentials, clientSecretBasic, clientSecretBasicFactory, ClientSecretBasicStrategy } from '../src/index.js';
import { fixedClock, json, ScriptedTransports } from './support/scriptedTransport.js';
import { SEED_002_RESPONSE } from './support/seed002.js';

const SECRET = 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=';
const ENDPOINT = 'https://127.0.0.1:8443/oauth2/v1/token';
const NOW = Date.UTC(2030, 0, 1);
const provider = Object.freeze({ id: 'bnp', strategy: 'client_secret_basic', tokenEndpoint: ENDPOINT, clientId: '1PpG/Q 1', clientSecret: SECRET });
const OK = json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300 });

async function withAuth<T>(transports: ScriptedTransports, extra: Record<string, unknown>, run: (auth: Finauth) => Promise<T>): Promise<T> {
  const auth = createFinauth({ strategies: [clientSecretBasic()], providers: [{ ...provider, ...extra }], transportFactory: transports, clock: fixedClock(NOW) });
  try {
    return await run(auth);
  } finally {
    await auth.close();
  }
}

async function failure(transports: ScriptedTransports, extra: Record<string, unknown> = {}): Promise<unknown> {
  return withAuth(transports, extra, async (auth) => {
    try {
      await auth.getToken('bnp');
    } catch (error) {
      return error;
    }
    return expect.fail('getToken succeeded');
  });
}

describe('ClientSecretBasicStrategy', () => {
  describe('the token request', () => {
    it('POSTs grant_type=client_credentials to tokenEndpoint with the form-urlencoded Basic header (RFC 6749 §2.3.1, §4.4.2)', async () => {
      const transports = new ScriptedTransports(OK);
      await withAuth(transports, {}, (auth) => auth.getToken('bnp'));
      expect(transports.requests).to.have.length(1);
      const [request] = transports.requests;
      expect(request!.method).to.equal('POST');
      expect(request!.url).to.equal(ENDPOINT);
      expect(request!.headers).to.deep.equal({
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: 'Basic MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==',
      });
      expect(request!.body).to.equal('grant_type=client_credentials');
    });

    it('sends the configured scope, and a per-call scope instead of it', async () => {
      const transports = new ScriptedTransports(OK);
      await withAuth(transports, { scope: 'aisp pisp' }, async (auth) => {
        await auth.getToken('bnp');
        await auth.getToken('bnp', { scope: 'extended_transaction_history' });
      });
      expect(transports.requests.map((r) => new URLSearchParams(r.body).get('scope'))).to.deep.equal(['aisp pisp', 'extended_transaction_history']);
    });

    it('raw: sends base64(clientId:clientSecret) exactly as the BNP Paribas CIB gateway page builds it', async () => {
      const transports = new ScriptedTransports(OK);
      await withAuth(transports, { credentialEncoding: 'raw' }, (auth) => auth.getToken('bnp'));
      expect(transports.requests[0]!.headers['authorization']).to.equal(`Basic ${Buffer.from(`1PpG/Q 1:${SECRET}`).toString('base64')}`);
    });

    it('puts the client id and secret in the header only, never in the body (RFC 6749 §2.3.1)', async () => {
      const transports = new ScriptedTransports(OK);
      await withAuth(transports, {}, (auth) => auth.getToken('bnp'));
      const body = new URLSearchParams(transports.requests[0]!.body);
      expect([...body.keys()]).to.deep.equal(['grant_type']);
      expect(transports.requests[0]!.body).not.to.contain('Q');
    });

    it('sends an upper-case HTTPS endpoint to its lower-cased https form', async () => {
      const transports = new ScriptedTransports(OK);
      await withAuth(transports, { tokenEndpoint: 'HTTPS://LOCALHOST:8443/oauth2/v1/token' }, (auth) => auth.getToken('bnp'));
      expect(transports.requests[0]!.url).to.equal('https://localhost:8443/oauth2/v1/token');
    });

    it('builds the same header on every retry', async () => {
      const transports = new ScriptedTransports(json(503, {}), json(429, {}, { 'retry-after': '0' }), OK);
      const token = await withAuth(transports, { retry: { maxRetries: 2, maxDelayMs: 2000 } }, (auth) => auth.getToken('bnp'));
      expect(token.accessToken).to.equal('at-1');
      expect(transports.requests).to.have.length(3);
      expect(new Set(transports.requests.map((r) => r.headers['authorization'])).size).to.equal(1);
    });
  });

  describe('identity and secrets', () => {
    const context = (): StrategyContext => ({
      providerId: 'bnp',
      clock: fixedClock(NOW),
      logger: silentLogger,
      telemetry: noopTelemetry,
      transport: new ScriptedTransports(OK).create({ providerId: 'bnp', tls: {}, policy: {}, timeoutMs: 1000, maxResponseBytes: 1024 }),
    });
    const create = (extra: Record<string, unknown> = {}): ClientSecretBasicStrategy => {
      const ctx = context();
      try {
        return clientSecretBasicFactory.create(Object.assign(new clientSecretBasicFactory.configClass(), provider, extra), ctx) as ClientSecretBasicStrategy;
      } finally {
        ctx.transport.close();
      }
    };

    it('identity is [tokenEndpoint, clientId, credentialEncoding], so each encoding gets its own cached token', () => {
      expect(create().identity).to.deep.equal([ENDPOINT, '1PpG/Q 1', 'auto']);
      expect(create({ credentialEncoding: 'form-urlencoded' }).identity).to.deep.equal([ENDPOINT, '1PpG/Q 1', 'form-urlencoded']);
      expect(create({ credentialEncoding: 'raw' }).identity).to.deep.equal([ENDPOINT, '1PpG/Q 1', 'raw']);
    });

    it('create() itself refuses a raw clientId containing ":" (a config built by hand skips the decorators)', () => {
      try {
        create({ clientId: 'tenant:app', credentialEncoding: 'raw' });
      } catch (error) {
        expect(ConfigError.is(error)).to.equal(true);
        expect((error as ConfigError).issues.map((i) => i.path)).to.deep.equal(['clientId']);
        return;
      }
      expect.fail('create() accepted a raw clientId with a colon');
    });

    it('never puts the secret into the identity (it becomes a cache key)', () => {
      expect(create().identity.join(' ')).not.to.contain(SECRET);
    });

    it('lists the secret in every form it is sent, for core to scrub', () => {
      const secrets = create().secrets;
      expect(secrets).to.include(SECRET);
      expect(secrets).to.include(basicCredentials('1PpG/Q 1', SECRET));
      expect(secrets).to.include('z%2FtZ9VwFZqApmIQ%2BZH1I5pLk%2FuB4ud%3AX2%2F8bL%2BwfFTt1rFw%3D');
    });

    it('shows no credential when the strategy itself is serialised or inspected', () => {
      const strategy = create();
      const text = JSON.stringify(strategy) + Object.keys(strategy).join(',');
      expect(text).not.to.contain(SECRET);
      expect(text).not.to.contain(basicCredentials('1PpG/Q 1', SECRET));
    });
  });

  describe("the BNP Paribas CIB gateway page's response", () => {
    it('is a Bearer token expiring 1799 s after the local receive time, every field kept in raw', async () => {
      const transports = new ScriptedTransports(json(200, SEED_002_RESPONSE));
      const token = await withAuth(transports, {}, (auth) => auth.getToken('bnp'));
      expect(token.tokenType).to.equal('Bearer');
      expect(token.accessToken).to.equal('9tTeVWjNBcQ3DswGDqfVVAfTawSX');
      expect(token.expiresAt?.getTime()).to.equal(NOW + 1799 * 1000);
      expect(token.scope).to.deep.equal(['pisp', 'piisp', 'aisp', 'extended_transaction_history']);
      expect(token.raw).to.deep.equal(SEED_002_RESPONSE);
      // issued_at is the gateway's clock (epoch ms): kept, but not what expiry is computed from.
      expect(token.raw['issued_at']).to.equal('1552409736000');
    });

    it('the page\'s own sample, which is not valid JSON, is a ResponseFormatError', async () => {
      const body = '  "token_type": "BearerToken",\n  "access_token": "9tTeVWjNBcQ3DswGDqfVVAfTawSX",\n  "expires_in": "1799" }';
      const error = await failure(new ScriptedTransports({ status: 200, headers: { 'content-type': 'application/json' }, body }));
      expect(ResponseFormatError.is(error), String(error)).to.equal(true);
      expect((error as Error).message).not.to.contain('9tTeVWjNBcQ3DswGDqfVVAfTawSX');
    });
  });

  describe('gateway errors', () => {
    it('an Apigee {ErrorCode, Error} 401 is a non-retryable TokenEndpointError with the gateway message, sent once per encoding (auto)', async () => {
      const transports = new ScriptedTransports(json(401, { ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' }));
      const error = await failure(transports);
      expect(TokenEndpointError.is(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect([e.status, e.retryable, e.error, e.errorDescription]).to.deep.equal([401, false, 'invalid_client', 'ClientId is Invalid']);
      expect(e.message).to.contain('ClientId is Invalid');
      // credentialEncoding auto: the RFC 6749 form, then raw once; then the first rejection surfaces.
      expect(transports.requests.map((r) => r.headers['authorization'])).to.deep.equal([`Basic ${basicCredentials('1PpG/Q 1', SECRET)}`, `Basic ${basicCredentials('1PpG/Q 1', SECRET, 'raw')}`]);
    });

    it('an Apigee {fault} 401 is a non-retryable TokenEndpointError with the faultstring', async () => {
      const transports = new ScriptedTransports(
        json(401, { fault: { faultstring: 'Invalid client identifier {0}', detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' } } }),
      );
      const e = (await failure(transports)) as TokenEndpointError;
      expect(TokenEndpointError.is(e)).to.equal(true);
      expect([e.status, e.retryable, e.error, e.errorDescription]).to.deep.equal([401, false, 'oauth.v2.InvalidClientIdentifier', 'Invalid client identifier {0}']);
      // Not an OAuth error body: an authentication rejection, so raw is tried once too.
      expect(transports.requests).to.have.length(2);
    });

    it('scrubs the secret, its encoded form and the Basic credentials when a server echoes them', async () => {
      const encoded = basicCredentials('1PpG/Q 1', SECRET);
      const transports = new ScriptedTransports(
        json(400, { error: 'invalid_request', error_description: `bad secret ${SECRET} / header Basic ${encoded} / ${encodeURIComponent(SECRET)}` }),
      );
      const error = (await failure(transports)) as TokenEndpointError;
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect(error.message).to.contain('[REDACTED]');
      for (const text of [error.message, String(error.errorDescription), JSON.stringify(error), String(error.stack)]) {
        expect(text).not.to.contain(SECRET);
        expect(text).not.to.contain(encoded);
        expect(text).not.to.contain(encodeURIComponent(SECRET));
      }
    });
  });
});
