import { createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { expect } from 'chai';
import { basicCredentials, clientSecretBasic, formUrlEncode } from '../src/index.js';
import { everyRendering, ofpBasicProvider, RecordingLogger, rejection, sandboxSuite } from '@finauth-test/support';

/** RFC 6749 §2.3.1 as a certified authorization server (oidc-provider) implements it. */
describe('client_secret_basic against the certified authorization server (sandbox)', () => {
  const suite = sandboxSuite();
  let auth: Finauth | undefined;
  let logger: RecordingLogger;

  beforeEach(() => {
    logger = new RecordingLogger();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  function connect(extra: Record<string, unknown> = {}): Finauth {
    auth = createFinauth({ strategies: [clientSecretBasic()], providers: [ofpBasicProvider(suite.sandbox, extra)], logger });
    return auth;
  }
  const client = () => suite.sandbox.ofp.clients.basic;
  const tokenRequests = () => suite.sandbox.ofp.log.filter((r) => r.listener === 'basic' && r.method === 'POST' && new URL(client().tokenEndpoint).pathname === r.path.split('?')[0]);
  const secretForms = () => [client().clientSecret, formUrlEncode(client().clientSecret), basicCredentials(client().clientId, client().clientSecret), basicCredentials(client().clientId, client().clientSecret, 'raw')];
  const expectNoSecret = (text: string) => {
    for (const form of secretForms()) expect(text).not.to.contain(form);
  };

  it('uses a secret full of characters that need encoding', () => {
    expect(formUrlEncode(client().clientSecret)).not.to.equal(client().clientSecret);
  });

  it('form-urlencoded (the default) gets a Bearer token with an expiry, sending the RFC 6749 §2.3.1 header', async () => {
    const token = await connect().getToken('op');
    expect(token.tokenType).to.equal('Bearer');
    expect(token.expiresAt).to.be.instanceOf(Date);
    expect(token.expiresAt!.getTime()).to.be.greaterThan(Date.now());
    const [request, ...others] = tokenRequests();
    expect(others).to.have.length(0);
    expect(request!.headers['authorization']).to.equal(`Basic ${basicCredentials(client().clientId, client().clientSecret)}`);
    expect(new URLSearchParams(request!.body).get('grant_type')).to.equal('client_credentials');
  });

  it('raw is refused: the server form-urldecodes the secret it receives (invalid_client, 401, not retried)', async () => {
    const error = await rejection(() => connect({ credentialEncoding: 'raw' }).getToken('op'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    const e = error as TokenEndpointError;
    expect([e.status, e.error, e.retryable]).to.deep.equal([401, 'invalid_client', false]);
    expect(tokenRequests()).to.have.length(1);
    expectNoSecret(everyRendering(error));
  });

  it('a wrong secret is invalid_client (401), not retried: each encoding sent once (auto), the first rejection surfaces', async () => {
    const wrong = `${client().clientSecret.slice(0, -1)}#`;
    const error = await rejection(() => connect({ clientSecret: wrong }).getToken('op'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    const e = error as TokenEndpointError;
    expect([e.status, e.error, e.retryable]).to.deep.equal([401, 'invalid_client', false]);
    expect(tokenRequests().map((r) => r.headers['authorization'])).to.deep.equal([`Basic ${basicCredentials(client().clientId, wrong)}`, `Basic ${basicCredentials(client().clientId, wrong, 'raw')}`]);
    for (const text of [wrong, formUrlEncode(wrong), basicCredentials(client().clientId, wrong, 'raw')]) expect(everyRendering(error)).not.to.contain(text);
    expectNoSecret(everyRendering(error));
  });

  it('an unknown client is invalid_client (401), not retried (with a pinned encoding: sent once)', async () => {
    const error = await rejection(() => connect({ clientId: 'no-such-client', credentialEncoding: 'form-urlencoded' }).getToken('op'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error]).to.deep.equal([401, 'invalid_client']);
    expect(tokenRequests()).to.have.length(1);
    expectNoSecret(everyRendering(error));
  });

  it('a scope the server knows but never granted this client is invalid_scope (400), not retried', async () => {
    const error = await rejection(() => connect({ scope: 'admin' }).getToken('op'));
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error, (error as TokenEndpointError).retryable]).to.deep.equal([400, 'invalid_scope', false]);
    expect(tokenRequests()).to.have.length(1);
  });

  it('a 429 with Retry-After is waited out, then the token comes', async () => {
    suite.sandbox.ofp.faults.set({ kind: 'status', status: 429, retryAfter: '1', times: 1 });
    const token = await connect().getToken('op');
    expect(token.tokenType).to.equal('Bearer');
    expect(tokenRequests()).to.have.length(2);
    const retry = logger.lines.find((l) => l.message === 'retrying token request');
    expect(retry?.fields?.['delayMs']).to.be.at.least(1000);
  });

  it('a 503 once is retried, then the token comes', async () => {
    suite.sandbox.ofp.faults.set({ kind: 'status', status: 503, times: 1 });
    await connect().getToken('op');
    expect(tokenRequests()).to.have.length(2);
  });

  it('never logs the secret', async () => {
    const first = connect();
    await first.getToken('op');
    await first.close();
    await rejection(() => connect({ credentialEncoding: 'raw' }).getToken('op'));
    expectNoSecret(logger.text());
  });
});
