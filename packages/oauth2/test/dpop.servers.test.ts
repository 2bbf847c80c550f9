import { expect } from 'chai';
import { EmbeddedJWK, jwtVerify } from 'jose';
import { createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { startDpopServers, type SandboxDpop } from '@finauth/sandbox';
import { oauth2 } from '../src/index.js';

/** DPoP (RFC 9449) for oauth2 providers against oidc-provider's dPoP feature and an Okta-like server. */
describe('oauth2 with DPoP against the sandbox DPoP servers', () => {
  let sb: SandboxDpop;
  const open: Finauth[] = [];
  before(async function () {
    this.timeout(30_000);
    sb = await startDpopServers();
  });
  after(async () => {
    await sb?.stop();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
    sb.op.requireNonce({ tokenEndpoint: false, resource: false });
    sb.op.log.clear();
    sb.okta.log.clear();
  });
  const finauth = (provider: Record<string, unknown>): Finauth => {
    const auth = createFinauth({ strategies: [oauth2()], providers: [provider] });
    open.push(auth);
    return auth;
  };
  const okta = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'okta',
    strategy: 'oauth2',
    tokenEndpoint: sb.okta.tokenEndpoint,
    clientId: sb.okta.clientId,
    clientAuth: { method: 'client_secret_basic', clientSecret: sb.okta.clientSecret },
    tls: { ca: `file:${sb.caCert}` },
    dpop: true,
    ...extra,
  });
  const op = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'op',
    strategy: 'oauth2',
    tokenEndpoint: sb.op.tokenEndpoint,
    clientId: sb.op.clientId,
    clientAuth: { method: 'client_secret_basic', clientSecret: sb.op.clientSecret },
    tls: { ca: `file:${sb.caCert}` },
    scope: 'accounts',
    dpop: true,
    ...extra,
  });

  it('Okta-like: the first token call is answered use_dpop_nonce, finauth retries once with the nonce and gets a DPoP token', async () => {
    const auth = finauth(okta());
    const before = sb.okta.stats.tokenRequests;
    const token = await auth.getToken('okta');
    expect(token.tokenType).to.equal('DPoP');
    expect(sb.okta.stats.tokenRequests - before).to.equal(2);
    expect(sb.okta.stats.nonceChallenges).to.be.greaterThan(0);
    const res = await auth.http('okta').get(sb.okta.resourceUrl);
    expect(res.status).to.equal(200);
    // The nonce is remembered: a forced refresh is accepted at once.
    await auth.getToken('okta', { forceRefresh: true });
    expect(sb.okta.stats.tokenRequests - before).to.equal(3);
  });

  it('Okta-like: a wrong secret is a typed error, with no secret in it', async () => {
    const auth = finauth(okta({ clientAuth: { method: 'client_secret_basic', clientSecret: 'not-the-okta-secret-123' } }));
    const error = await auth.getToken('okta').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(TokenEndpointError.is(error)).to.equal(true);
    expect(String((error as Error).message)).to.not.include('not-the-okta-secret-123');
  });

  it('oidc-provider: DPoP token, resource with proof and ath, nonces at the token endpoint and the resource', async () => {
    sb.op.requireNonce({ tokenEndpoint: true, resource: true });
    const auth = finauth(op());
    const token = await auth.getToken('op');
    expect(token.tokenType).to.equal('DPoP');
    const res = await auth.http('op').get(sb.op.resourceUrl);
    expect(res.status).to.equal(200);
    const proofs = sb.op.log.filter((l) => l.path === '/resource').map((l) => String(l.headers['dpop']));
    const verified = await Promise.all(proofs.map((p) => jwtVerify(p, EmbeddedJWK, { typ: 'dpop+jwt' })));
    // The resource keeps nonces of its own (the token endpoint's, remembered for this origin, is not one):
    // the first call is challenged, the resend carries the resource's nonce.
    expect(verified).to.have.length(2);
    expect(verified[1]!.payload['nonce']).to.be.a('string').and.not.equal(verified[0]!.payload['nonce']);
    expect(verified[1]!.payload['ath']).to.be.a('string');
    expect(sb.op.stats.nonceChallenges).to.be.greaterThan(0);
  });
});
