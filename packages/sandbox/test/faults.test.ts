import { expect } from 'chai';
import { FaultController, startSandbox, type Sandbox } from '../src/index.js';
import { assertionForm, signAssertion } from './support/assertion.js';
import { call, rejectionOf } from './support/httpsCall.js';
import { basicHeader, tlsFor } from './support/material.js';

describe('FaultController', () => {
  it('applies a fault `times` times, then the next queued one, then none', () => {
    const faults = new FaultController();
    faults.set({ kind: 'status', status: 503, times: 2 });
    faults.enqueue({ kind: 'empty', times: 1 });
    expect([faults.take()?.kind, faults.take()?.kind, faults.take()?.kind, faults.take()]).to.deep.equal([
      'status',
      'status',
      'empty',
      undefined,
    ]);
    expect(faults.hits).to.equal(3);
  });

  it('keeps a fault without `times` until cleared', () => {
    const faults = new FaultController();
    faults.set({ kind: 'html' });
    for (let i = 0; i < 5; i += 1) expect(faults.take()?.kind).to.equal('html');
    faults.clear();
    expect(faults.take()).to.equal(undefined);
    expect(faults.active).to.equal(undefined);
  });

  it('rejects a non-positive `times`', () => {
    expect(() => new FaultController().set({ kind: 'hang', times: 0 })).to.throw(RangeError);
  });
});

describe('fault injection', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });
  afterEach(() => {
    sb.gateway.faults.clear();
    sb.ofp.faults.clear();
  });

  const gatewayToken = (timeoutMs?: number) =>
    call(sb.gateway.tokenEndpoint, {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicHeader(sb.gateway.clientId, sb.gateway.clientSecret) },
      tls: tlsFor(sb),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });

  describe('on the gateway token endpoint', () => {
    it('status: 503 once, then a normal answer', async () => {
      sb.gateway.faults.set({ kind: 'status', status: 503, times: 1 });
      const first = await gatewayToken();
      const second = await gatewayToken();
      expect(first.status).to.equal(503);
      expect(first.json()).to.have.property('error');
      expect(second.status).to.equal(200);
    });

    it('status: 429 with Retry-After in seconds and as an HTTP date', async () => {
      const date = new Date(Date.now() + 60_000);
      sb.gateway.faults.set({ kind: 'status', status: 429, retryAfter: 7, times: 1 });
      sb.gateway.faults.enqueue({ kind: 'status', status: 429, retryAfter: date, times: 1 });
      const seconds = await gatewayToken();
      const httpDate = await gatewayToken();
      expect(seconds.status).to.equal(429);
      expect(seconds.headers['retry-after']).to.equal('7');
      expect(httpDate.headers['retry-after']).to.equal(date.toUTCString());
    });

    it('status: custom body and headers', async () => {
      sb.gateway.faults.set({ kind: 'status', status: 404, body: { errors: ['not here'] }, headers: { 'x-extra': 'yes' } });
      const res = await gatewayToken();
      expect(res.status).to.equal(404);
      expect(res.json()).to.deep.equal({ errors: ['not here'] });
      expect(res.headers['x-extra']).to.equal('yes');
    });

    it('slow: answers normally after the delay', async () => {
      sb.gateway.faults.set({ kind: 'slow', delayMs: 300 });
      const start = Date.now();
      const res = await gatewayToken();
      expect(Date.now() - start).to.be.at.least(290);
      expect(res.status).to.equal(200);
      expect(res.json()['token_type']).to.equal('BearerToken');
    });

    it('hang: never answers (the client times out); clear() restores', async () => {
      sb.gateway.faults.set({ kind: 'hang' });
      const err = await rejectionOf(gatewayToken(300));
      expect(err.message).to.equal('client timeout');
      sb.gateway.faults.clear();
      expect((await gatewayToken()).status).to.equal(200);
    });

    it('reset: the connection dies before the body is read', async () => {
      sb.gateway.log.clear();
      sb.gateway.faults.set({ kind: 'reset', times: 1 });
      const err = await rejectionOf(gatewayToken());
      expect(err.message).to.match(/ECONNRESET|socket hang up/);
      expect(sb.gateway.log[0]?.body).to.equal('');
    });

    it('reset-after-body: the body is read, then the connection dies', async () => {
      sb.gateway.log.clear();
      sb.gateway.faults.set({ kind: 'reset-after-body', times: 1 });
      const err = await rejectionOf(gatewayToken());
      expect(err.message).to.match(/ECONNRESET|socket hang up/);
      expect(sb.gateway.log[0]?.body).to.equal('grant_type=client_credentials');
    });

    it('close: the socket ends without a response', async () => {
      sb.gateway.faults.set({ kind: 'close', times: 1 });
      const err = await rejectionOf(gatewayToken());
      expect(err.message).to.match(/ECONNRESET|socket hang up/);
    });

    it('truncated: fewer bytes than Content-Length, then the socket ends', async () => {
      sb.gateway.faults.set({ kind: 'truncated', times: 1 });
      const err = await rejectionOf(gatewayToken());
      expect(err.message).to.match(/aborted|incomplete|ECONNRESET|socket hang up/);
    });

    it('empty: 200 with an empty body', async () => {
      sb.gateway.faults.set({ kind: 'empty', times: 1 });
      const res = await gatewayToken();
      expect(res.status).to.equal(200);
      expect(res.body).to.equal('');
    });

    it('html: 200 text/html', async () => {
      sb.gateway.faults.set({ kind: 'html', times: 1 });
      const res = await gatewayToken();
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.body).to.match(/<html>/);
    });

    it('malformed-json: 200 application/json that does not parse', async () => {
      sb.gateway.faults.set({ kind: 'malformed-json', times: 1 });
      const res = await gatewayToken();
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/json');
      expect(() => res.json()).to.throw(SyntaxError);
    });

    it('json: any JSON with any status', async () => {
      sb.gateway.faults.set({ kind: 'json', body: { token_type: 'Bearer', expires_in: -5 }, times: 1 });
      sb.gateway.faults.enqueue({ kind: 'json', status: 400, body: { error: 'invalid_request', error_description: 'x' }, times: 1 });
      const noToken = await gatewayToken();
      const error = await gatewayToken();
      expect(noToken.status).to.equal(200);
      expect(noToken.json()).to.deep.equal({ token_type: 'Bearer', expires_in: -5 });
      expect(error.status).to.equal(400);
    });

    it('large: 200 with a body of the requested size', async () => {
      sb.gateway.faults.set({ kind: 'large', bytes: 3 * 1024 * 1024, times: 1 });
      const res = await gatewayToken();
      expect(res.status).to.equal(200);
      expect(res.headers['content-length']).to.equal(String(3 * 1024 * 1024));
      expect(res.body.length).to.equal(3 * 1024 * 1024);
      expect(res.json()['access_token']).to.equal('large-token');
    });

    it('does not touch /hello', async () => {
      const accessToken = (await gatewayToken()).json()['access_token'] as string;
      sb.gateway.faults.set({ kind: 'status', status: 500 });
      const res = await call(sb.gateway.helloUrl, { headers: { authorization: `Bearer ${accessToken}` }, tls: tlsFor(sb) });
      expect(res.status).to.equal(200);
    });
  });

  describe('on the OFP token endpoints', () => {
    const ofpToken = async (endpoint: string) => {
      const assertion = await signAssertion(sb.pki.signing.ps256, { clientId: sb.ofp.clients.ps256.clientId, audience: sb.ofp.issuer });
      return call(endpoint, { form: assertionForm(assertion), tls: tlsFor(sb, 'transport') });
    };

    it('applies the same faults in front of the main endpoint and the mTLS alias, with x-fapi-interaction-id', async () => {
      sb.ofp.faults.set({ kind: 'status', status: 502, times: 2 });
      const main = await ofpToken(sb.ofp.tokenEndpoint);
      const alias = await ofpToken(sb.ofp.mtlsTokenEndpoint ?? '');
      const after = await ofpToken(sb.ofp.mtlsTokenEndpoint ?? '');
      expect(main.status).to.equal(502);
      expect(alias.status).to.equal(502);
      expect(main.headers['x-fapi-interaction-id']).to.be.a('string');
      expect(after.status, after.body).to.equal(200);
    });

    it('does not apply to discovery', async () => {
      sb.ofp.faults.set({ kind: 'status', status: 500 });
      const res = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') });
      expect(res.status).to.equal(200);
    });

    it('counts faulted requests in stats', async () => {
      const before = sb.ofp.stats.tokenRequests.main;
      sb.ofp.faults.set({ kind: 'reset', times: 1 });
      await rejectionOf(ofpToken(sb.ofp.tokenEndpoint));
      expect(sb.ofp.stats.tokenRequests.main).to.equal(before + 1);
    });
  });
});
