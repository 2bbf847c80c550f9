import { readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { request } from 'node:https';
import { expect } from 'chai';
import { calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, EmbeddedJWK } from 'jose';
import { ConfigError, createFinauth, TokenEndpointError, type Finauth, type UncheckedProviderConfig } from '@finauth/core';
import type { Sandbox } from '@finauth/sandbox';
import { fapiProvider, sandboxSuite } from '@finauth-test/support';
import { fapi2 } from '../src/index.js';

/** FAPI 2.0 with DPoP-bound tokens (RFC 9449; FAPI 2.0 SP §5.3.2.2) against the sandbox OFP (oidc-provider). */
describe('fapi2 with DPoP against the sandbox OFP', function () {
  const suite = sandboxSuite();
  const finauth = (provider: Record<string, unknown>): Finauth => {
    const auth = createFinauth({ strategies: [fapi2()], providers: [provider] });
    suite.track(auth);
    return auth;
  };
  /** The OFP client registered for DPoP-bound tokens (a client may not bind by mTLS and DPoP at once). */
  const dpopClient = (): Record<string, unknown> => ({ ...fapiProvider(suite.sandbox, 'ps256'), clientId: suite.sandbox.ofp.clients.dpop.clientId });
  const proofs = (): string[] => suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token').map((l) => String(l.headers['dpop']));

  it('sends a proof on every token request and gets a DPoP token bound to its key (cnf.jkt)', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const token = await auth.getToken(auth.providerIds[0]!);
    expect(token.tokenType).to.equal('DPoP');
    const [proof] = proofs();
    const { payload, protectedHeader } = await jwtVerify(proof!, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader.alg).to.equal('ES256');
    expect(protectedHeader.jwk).to.not.have.property('d');
    expect(payload).to.include({ htm: 'POST' });
    expect(String(payload['htu'])).to.match(/\/token$/);
    const introspected = await suite.sandbox.ofp.introspect(token.accessToken);
    expect(introspected['active']).to.equal(true);
    expect((introspected['cnf'] as Record<string, string>)['jkt']).to.equal(await calculateJwkThumbprint(protectedHeader.jwk!));
  });

  it('uses one key for the provider life and a fresh jti per proof', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const id = auth.providerIds[0]!;
    await auth.getToken(id);
    await auth.getToken(id, { forceRefresh: true });
    const sent = proofs();
    expect(sent).to.have.length(2);
    const [a, b] = await Promise.all(sent.map((p) => jwtVerify(p, EmbeddedJWK)));
    expect(a!.payload['jti']).to.not.equal(b!.payload['jti']);
    expect(await calculateJwkThumbprint(a!.protectedHeader.jwk!)).to.equal(await calculateJwkThumbprint(b!.protectedHeader.jwk!));
  });

  it('signs proofs with a configured key (dpop.key)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const auth = finauth({ ...dpopClient(), dpop: { alg: 'ES256', key: pem } });
    await auth.getToken(auth.providerIds[0]!);
    const [proof] = proofs();
    const jwk = decodeProtectedHeader(proof!).jwk!;
    const expected = privateKey.export({ format: 'jwk' }) as Record<string, string>;
    expect(jwk['x']).to.equal(expected['x']);
  });

  it('calls a DPoP resource through http(): Authorization: DPoP and a fresh proof per request with ath, htm and htu', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const id = auth.providerIds[0]!;
    const url = `${suite.sandbox.ofp.dpop.resourceUrl}?page=2`;
    const first = await auth.http(id).get(url);
    const second = await auth.http(id).get(url);
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
    const calls = suite.sandbox.ofp.log.filter((l) => l.path.startsWith('/dpop/providers'));
    expect(calls).to.have.length(2);
    const token = (await auth.getToken(id)).accessToken;
    const ath = createHash('sha256').update(token).digest('base64url');
    const verified = await Promise.all(calls.map((c) => jwtVerify(String(c.headers['dpop']), EmbeddedJWK, { typ: 'dpop+jwt' })));
    for (const [i, c] of calls.entries()) {
      expect(c.headers['authorization']).to.equal(`DPoP ${token}`);
      // RFC 9449 §4.2: htu without query or fragment.
      expect(verified[i]!.payload).to.include({ htm: 'GET', htu: suite.sandbox.ofp.dpop.resourceUrl, ath });
    }
    expect(verified[0]!.payload['jti']).to.not.equal(verified[1]!.payload['jti']);
  });

  it('answers a resource nonce challenge once, then sends the remembered nonce', async () => {
    suite.sandbox.ofp.dpop.requireNonce({ resource: true });
    try {
      const auth = finauth({ ...dpopClient(), dpop: true });
      const id = auth.providerIds[0]!;
      const before = suite.sandbox.ofp.dpop.stats.nonceChallenges;
      expect((await auth.http(id).get(suite.sandbox.ofp.dpop.resourceUrl)).status).to.equal(200);
      expect(suite.sandbox.ofp.dpop.stats.nonceChallenges - before).to.equal(1);
      // The 200 carried a fresh DPoP-Nonce: the next request uses it and is not challenged.
      expect((await auth.http(id).get(suite.sandbox.ofp.dpop.resourceUrl)).status).to.equal(200);
      expect(suite.sandbox.ofp.dpop.stats.nonceChallenges - before).to.equal(1);
    } finally {
      suite.sandbox.ofp.dpop.requireNonce({ resource: false });
    }
  });

  it('a proof finauth sent cannot be replayed: the server refuses the second use', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const id = auth.providerIds[0]!;
    await auth.http(id).get(suite.sandbox.ofp.dpop.resourceUrl);
    const sent = suite.sandbox.ofp.log.filter((l) => l.path === '/dpop/providers')[0]!;
    const replay = await httpsGet(suite.sandbox.ofp.dpop.resourceUrl, { authorization: String(sent.headers['authorization']), dpop: String(sent.headers['dpop']) }, readFileSync(suite.sandbox.pki.caCert, 'utf8'), suite.sandbox);
    expect(replay.status).to.equal(401);
    expect(replay.body).to.include('invalid_dpop_proof');
  });

  it('a Bearer provider sends no proof and the DPoP resource refuses its token', async () => {
    const auth = finauth({ ...dpopClient(), dpop: false });
    const error = await auth.http(auth.providerIds[0]!).get(suite.sandbox.ofp.dpop.resourceUrl).then(
      () => undefined,
      (e: unknown) => e as { response?: { status: number } },
    );
    // oidc-provider refuses a token for the DPoP-bound client without a proof.
    expect(error).to.not.equal(undefined);
    expect(suite.sandbox.ofp.log.filter((l) => l.path === '/dpop/providers').every((l) => l.headers['dpop'] === undefined)).to.equal(true);
  });

  it('answers use_dpop_nonce at the token endpoint once, with the server nonce and a fresh client assertion', async () => {
    suite.sandbox.ofp.dpop.requireNonce({ tokenEndpoint: true });
    try {
      const auth = finauth({ ...dpopClient(), dpop: true });
      const token = await auth.getToken(auth.providerIds[0]!);
      expect(token.tokenType).to.equal('DPoP');
      const posts = suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token');
      expect(posts).to.have.length(2);
      const [first, second] = await Promise.all(posts.map((p) => jwtVerify(String(p.headers['dpop']), EmbeddedJWK)));
      expect(first!.payload).to.not.have.property('nonce');
      expect(second!.payload['nonce']).to.be.a('string');
      const assertions = posts.map((p) => new URLSearchParams(p.body).get('client_assertion'));
      expect(assertions[0]).to.not.equal(assertions[1]);
      // The nonce is remembered: the next fetch sends it at once, no challenge.
      await auth.getToken(auth.providerIds[0]!, { forceRefresh: true });
      expect(suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token')).to.have.length(3);
    } finally {
      suite.sandbox.ofp.dpop.requireNonce({ tokenEndpoint: false });
    }
  });

  it('a second nonce challenge in one fetch is a typed error, not a loop', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true, retry: { maxRetries: 0 } });
    // The OFP's token endpoint answers use_dpop_nonce to every request of this fetch.
    suite.sandbox.ofp.faults.set({ kind: 'status', status: 400, body: { error: 'use_dpop_nonce', error_description: 'nonce required' }, headers: { 'dpop-nonce': 'nonce-that-never-works' } });
    try {
      const error = await auth.getToken(auth.providerIds[0]!).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect((error as TokenEndpointError).error).to.equal('use_dpop_nonce');
      expect(suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token')).to.have.length(2);
    } finally {
      suite.sandbox.ofp.faults.clear();
    }
  });

  it('refuses a token bound (cnf.jkt) to another key', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    suite.sandbox.ofp.faults.set({ kind: 'json', body: { access_token: 'bound-elsewhere-token-value', token_type: 'DPoP', expires_in: 300, cnf: { jkt: 'A'.repeat(43) } }, times: 1 });
    try {
      const error = await auth.getToken(auth.providerIds[0]!).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).to.equal('ResponseFormatError');
      expect(error?.message).to.include('cnf.jkt');
      expect(error?.message).to.not.include('bound-elsewhere-token-value');
    } finally {
      suite.sandbox.ofp.faults.clear();
    }
  });

  it('reports a bad dpop setting at creation, by path, without the key', () => {
    const make = (dpop: unknown): unknown => {
      try {
        createFinauth({ strategies: [fapi2()], providers: [{ ...dpopClient(), dpop } as UncheckedProviderConfig] });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const rsa = readFileSync(suite.sandbox.pki.signing.ps256.key, 'utf8');
    const wrongKey = make({ alg: 'ES256', key: rsa }) as ConfigError;
    expect(ConfigError.is(wrongKey)).to.equal(true);
    expect(wrongKey.issues.map((i) => i.path)).to.deep.equal(['providers[0].dpop.key']);
    expect(wrongKey.message).to.not.include(rsa.split('\n')[1]!);
    const badAlg = make({ alg: 'HS256' }) as ConfigError;
    expect(badAlg.issues.map((i) => i.path)).to.include('providers[0].dpop.alg');
    const notObject = make('yes') as ConfigError;
    expect(notObject.issues.map((i) => i.path)).to.include('providers[0].dpop');
  });
});

/** A raw GET with the transport certificate, outside finauth: to replay what finauth sent. */
function httpsGet(url: string, headers: Record<string, string>, ca: string, sandbox: Sandbox): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, ca, cert: readFileSync(sandbox.pki.clients.transport.cert), key: readFileSync(sandbox.pki.clients.transport.key), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}
