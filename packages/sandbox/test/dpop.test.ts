import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { SignJWT, exportJWK } from 'jose';
import { startDpopServers, type SandboxDpop } from '../src/index.js';
import { call } from './support/httpsCall.js';

/** An ES256 key and a proof builder written here with jose: the servers are checked against a client that is not finauth. */
function dpopKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    async proof(htm: string, htu: string, extra: Record<string, unknown> = {}): Promise<string> {
      return new SignJWT({ htm, htu, jti: randomUUID(), ...extra })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
        .setIssuedAt()
        .sign(privateKey);
    },
  };
}

describe('sandbox DPoP servers (RFC 9449)', () => {
  let sb: SandboxDpop;
  let ca: string;
  before(async function () {
    this.timeout(30_000);
    sb = await startDpopServers();
    ca = readFileSync(sb.caCert, 'utf8');
  });
  after(async () => {
    await sb?.stop();
  });
  afterEach(() => sb.op.requireNonce({ tokenEndpoint: false, resource: false }));

  const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const ath = (token: string): string => createHash('sha256').update(token).digest('base64url');

  it('oidc-provider issues a DPoP token for a valid proof and its resource accepts it with ath', async () => {
    const key = dpopKey();
    const res = await call(sb.op.tokenEndpoint, { tls: { ca }, headers: { authorization: basic(sb.op.clientId, sb.op.clientSecret), dpop: await key.proof('POST', sb.op.tokenEndpoint) }, form: { grant_type: 'client_credentials', scope: 'accounts' } });
    expect(res.status, res.body).to.equal(200);
    const token = String(res.json()['access_token']);
    expect(res.json()['token_type']).to.equal('DPoP');
    const ok = await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: await key.proof('GET', sb.op.resourceUrl, { ath: ath(token) }) } });
    expect(ok.status, ok.body).to.equal(200);
    // The same token with another key's proof, or a replayed proof, is refused.
    const other = await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: await dpopKey().proof('GET', sb.op.resourceUrl, { ath: ath(token) }) } });
    expect(other.status).to.equal(401);
    expect(other.json()['error']).to.equal('invalid_token');
    const proof = await key.proof('GET', sb.op.resourceUrl, { ath: ath(token) });
    expect((await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: proof } })).status).to.equal(200);
    const replay = await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: proof } });
    expect(replay.status).to.equal(401);
    expect(replay.json()['error']).to.equal('invalid_dpop_proof');
  });

  it('oidc-provider refuses a token request without a proof for its DPoP-bound client', async () => {
    const res = await call(sb.op.tokenEndpoint, { tls: { ca }, headers: { authorization: basic(sb.op.clientId, sb.op.clientSecret) }, form: { grant_type: 'client_credentials' } });
    expect(res.status).to.equal(400);
  });

  it('demands nonces where switched on: use_dpop_nonce with a DPoP-Nonce header', async () => {
    sb.op.requireNonce({ tokenEndpoint: true, resource: true });
    const key = dpopKey();
    const first = await call(sb.op.tokenEndpoint, { tls: { ca }, headers: { authorization: basic(sb.op.clientId, sb.op.clientSecret), dpop: await key.proof('POST', sb.op.tokenEndpoint) }, form: { grant_type: 'client_credentials' } });
    expect(first.status).to.equal(400);
    expect(first.json()['error']).to.equal('use_dpop_nonce');
    const nonce = String(first.headers['dpop-nonce']);
    const second = await call(sb.op.tokenEndpoint, { tls: { ca }, headers: { authorization: basic(sb.op.clientId, sb.op.clientSecret), dpop: await key.proof('POST', sb.op.tokenEndpoint, { nonce }) }, form: { grant_type: 'client_credentials' } });
    expect(second.status, second.body).to.equal(200);
    const token = String(second.json()['access_token']);
    const r1 = await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: await key.proof('GET', sb.op.resourceUrl, { ath: ath(token) }) } });
    expect(r1.status).to.equal(401);
    expect(String(r1.headers['www-authenticate'])).to.match(/^DPoP error="use_dpop_nonce"/);
    const r2 = await call(sb.op.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: await key.proof('GET', sb.op.resourceUrl, { ath: ath(token), nonce: String(r1.headers['dpop-nonce']) }) } });
    expect(r2.status, r2.body).to.equal(200);
  });

  it('the Okta-like server demands a nonce on the first call, then issues a DPoP token with cnf.jkt', async () => {
    const key = dpopKey();
    const auth = basic(sb.okta.clientId, sb.okta.clientSecret);
    const first = await call(sb.okta.tokenEndpoint, { tls: { ca }, headers: { authorization: auth, dpop: await key.proof('POST', sb.okta.tokenEndpoint) }, form: { grant_type: 'client_credentials' } });
    expect(first.status).to.equal(400);
    expect(first.json()['error']).to.equal('use_dpop_nonce');
    const nonce = String(first.headers['dpop-nonce']);
    const second = await call(sb.okta.tokenEndpoint, { tls: { ca }, headers: { authorization: auth, dpop: await key.proof('POST', sb.okta.tokenEndpoint, { nonce }) }, form: { grant_type: 'client_credentials' } });
    expect(second.status, second.body).to.equal(200);
    const body = second.json();
    expect(body['token_type']).to.equal('DPoP');
    expect((body['cnf'] as { jkt: string }).jkt).to.be.a('string');
    const token = String(body['access_token']);
    const ok = await call(sb.okta.resourceUrl, { tls: { ca }, headers: { authorization: `DPoP ${token}`, dpop: await key.proof('GET', sb.okta.resourceUrl, { ath: ath(token) }) } });
    expect(ok.status, ok.body).to.equal(200);
    const wrongSecret = await call(sb.okta.tokenEndpoint, { tls: { ca }, headers: { authorization: basic(sb.okta.clientId, 'nope'), dpop: await key.proof('POST', sb.okta.tokenEndpoint, { nonce }) }, form: { grant_type: 'client_credentials' } });
    expect(wrongSecret.status).to.equal(401);
  });
});
