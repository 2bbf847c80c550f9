import { createPrivateKey, createPublicKey } from 'node:crypto';
import { ConfigError, createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { basicCredentials } from '@finauth/client-auth';
import { startAuth0Like, startEntraLike, startStrictServer, type EmulatedServer } from '@finauth/sandbox';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { everyRendering, rejection } from '@finauth-test/support';
import { oauth2 } from '../src/index.js';
import { connect, rsaCertificate, testPki, type Recorded, type TestPki } from './support/fixture.js';

/**
 * Emulators of the profiles' servers (packages/sandbox/src/emulators), each checking what its real
 * counterpart checks. With default settings (the profile, nothing pinned) finauth gets a token from
 * each, and the second fetch makes no rejected attempt: the servers count what they refused.
 */
describe('oauth2 against emulated provider families', () => {
  let p: TestPki;
  let recorded: Recorded | undefined;
  before(async () => {
    p = await testPki();
  });
  after(() => p?.dispose());
  afterEach(async () => {
    await recorded?.auth.close();
    recorded = undefined;
  });
  const ca = () => ({ ca: p.tls.ca });
  const use = (r: Recorded): Recorded => (recorded = r);
  const assertionsSentTo = (server: EmulatedServer) => server.log.filter((l) => l.method === 'POST').map((l) => new URLSearchParams(l.body).get('client_assertion') ?? '');

  describe('Entra-like (x5t#S256 of the certificate, aud = its token URL, PS256)', () => {
    let server: EmulatedServer;
    let credential: { key: string; cert: string };
    before(async () => {
      credential = rsaCertificate();
      server = await startEntraLike({ tls: p.tls, clientId: 'entra-app', certificate: credential.cert });
    });
    after(() => server?.stop());

    it('profile "entra": a token at the first attempt, and again at the second fetch, with nothing refused', async () => {
      const r = use(connect({ profile: 'entra', issuer: server.issuer, clientId: 'entra-app', scope: 'api://finauth/.default', clientAuth: { method: 'private_key_jwt', signingKey: credential.key, certificate: credential.cert }, tls: ca() }));
      await r.auth.getToken('p');
      await r.auth.getToken('p', { forceRefresh: true });
      expect(server.stats).to.deep.include({ tokenRequests: 2, rejected: 0 });
      const [assertion] = assertionsSentTo(server);
      expect(decodeProtectedHeader(assertion!)).to.include({ alg: 'PS256', typ: 'JWT' }).and.to.have.property('x5t#S256');
      expect(decodeJwt(assertion!).aud).to.equal(server.tokenEndpoint);
      expect(r.events.filter((e) => e.name === 'auth.adapted')).to.deep.equal([]);
    });

    it('without the profile (kid only, RFC 7523 defaults) every audience is refused: the first rejection surfaces, typed', async () => {
      const before = server.stats.rejected;
      const r = use(connect({ issuer: server.issuer, clientId: 'entra-app', clientAuth: { method: 'private_key_jwt', signingKey: credential.key }, tls: ca() }));
      const error = await rejection(() => r.auth.getToken('p'));
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error]).to.deep.equal([401, 'invalid_client']);
      // issuer, then the token URL: two variants (no mTLS alias), each tried once, fresh assertions.
      expect(server.stats.rejected - before).to.equal(2);
      const sent = assertionsSentTo(server).slice(-2);
      expect(new Set(sent.map((a) => decodeJwt(a).jti)).size).to.equal(2);
      for (const a of sent) expect(everyRendering(error)).not.to.contain(a);
    });

    it('the certificate must belong to the signing key (checked at creation)', () => {
      const other = rsaCertificate('/CN=someone-else');
      let caught: unknown;
      try {
        connect({ profile: 'entra', issuer: server.issuer, clientId: 'entra-app', clientAuth: { method: 'private_key_jwt', signingKey: credential.key, certificate: other.cert }, tls: ca() });
      } catch (e) {
        caught = e;
      }
      expect(ConfigError.is(caught)).to.equal(true);
      expect((caught as ConfigError).issues.map((i) => i.path)).to.deep.equal(['providers[0].clientAuth.certificate']);
    });
  });

  describe('Auth0-like (issuer with a trailing slash, exp - iat <= 300, audience parameter)', () => {
    let server: EmulatedServer;
    before(async () => {
      const key = createPrivateKey(p.read(p.pki.signing.ps256.key));
      server = await startAuth0Like({ tls: p.tls, clientId: 'auth0-m2m', publicKey: createPublicKey(key), alg: 'PS256', apiAudience: 'https://api.finauth.example' });
    });
    after(() => server?.stop());

    it('profile "auth0": a token at the first attempt, again at the second fetch, nothing refused', async () => {
      expect(server.issuer.endsWith('/')).to.equal(true);
      const r = use(connect({ profile: 'auth0', issuer: server.issuer, clientId: 'auth0-m2m', extraParams: { audience: 'https://api.finauth.example' }, clientAuth: { method: 'private_key_jwt', signingKey: `file:${p.pki.signing.ps256.key}` }, tls: ca() }));
      await r.auth.getToken('p');
      await r.auth.getToken('p', { forceRefresh: true });
      expect(server.stats).to.deep.include({ tokenRequests: 2, rejected: 0 });
      const claims = decodeJwt(assertionsSentTo(server)[0]!);
      expect(claims.aud).to.equal(server.issuer);
      expect(claims.exp! - claims.iat!).to.be.at.most(300);
      expect(new URLSearchParams(server.log.find((l) => l.method === 'POST')!.body).get('audience')).to.equal('https://api.finauth.example');
    });

    it('the profile requires extraParams.audience and caps the assertion lifetime at 300 s (ConfigError, by path)', () => {
      let caught: unknown;
      try {
        connect({ profile: 'auth0', issuer: server.issuer, clientId: 'auth0-m2m', clientAuth: { method: 'private_key_jwt', signingKey: `file:${p.pki.signing.ps256.key}`, lifetimeSeconds: 600 }, tls: ca() });
      } catch (e) {
        caught = e;
      }
      expect(ConfigError.is(caught)).to.equal(true);
      expect((caught as ConfigError).issues.map((i) => i.path).sort()).to.deep.equal(['providers[0].clientAuth.lifetimeSeconds', 'providers[0].extraParams.audience']);
    });
  });

  describe('strict server (bare 403 for every failure, aud only its exact token URL, raw Basic only)', () => {
    let server: EmulatedServer;
    const secret = 'p+a/s:s%41 w=rd';
    before(async () => {
      const key = createPrivateKey(p.read(p.pki.signing.es256.key));
      server = await startStrictServer({ tls: p.tls, clientId: 'strict-client', publicKey: createPublicKey(key), alg: 'ES256', clientSecret: secret });
    });
    after(() => server?.stop());

    it('private_key_jwt with defaults: issuer refused (bare 403), the token URL accepted, remembered; one warning naming the line to pin', async () => {
      const r = use(connect({ issuer: server.issuer, clientId: 'strict-client', clientAuth: { method: 'private_key_jwt', alg: 'ES256', signingKey: `file:${p.pki.signing.es256.key}` }, tls: ca() }));
      const before = { ...server.stats };
      await r.auth.getToken('p');
      expect(server.stats.rejected - before.rejected).to.equal(1);
      expect(server.stats.tokenRequests - before.tokenRequests).to.equal(2);
      const [first, second] = assertionsSentTo(server).slice(-2).map((a) => decodeJwt(a));
      expect([first!.aud, second!.aud]).to.deep.equal([server.issuer, server.tokenEndpoint]);
      expect(first!.jti).to.not.equal(second!.jti);
      const adapted = r.events.filter((e) => e.name === 'auth.adapted');
      expect(adapted.map((e) => [e.providerId, e.attributes?.['from'], e.attributes?.['to']])).to.deep.equal([['p', 'issuer', 'token_endpoint']]);
      const warnings = r.lines.filter((l) => l.level === 'warn');
      expect(warnings).to.have.length(1);
      expect(warnings[0]!.message).to.contain('"clientAuth": { "audience": "token_endpoint" }');
      // The second fetch: no rejected attempt.
      await r.auth.getToken('p', { forceRefresh: true });
      expect(server.stats.rejected - before.rejected).to.equal(1);
      expect(server.stats.tokenRequests - before.tokenRequests).to.equal(3);
      expect(r.lines.filter((l) => l.level === 'warn')).to.have.length(1);
    });

    it('client_secret_basic with defaults: the RFC 6749 form refused, raw accepted and remembered', async () => {
      const r = use(connect({ tokenEndpoint: server.tokenEndpoint, clientId: 'strict-client', clientAuth: { method: 'client_secret_basic', clientSecret: secret }, tls: ca() }));
      const before = { ...server.stats };
      await r.auth.getToken('p');
      await r.auth.getToken('p', { forceRefresh: true });
      expect(server.stats.rejected - before.rejected).to.equal(1);
      const sent = server.log.filter((l) => l.method === 'POST').slice(-3).map((l) => l.headers['authorization']);
      expect(sent).to.deep.equal([`Basic ${basicCredentials('strict-client', secret)}`, `Basic ${basicCredentials('strict-client', secret, 'raw')}`, `Basic ${basicCredentials('strict-client', secret, 'raw')}`]);
      expect(r.logText()).not.to.contain(secret);
    });

    it('an explicit audience disables adaptation: one attempt, the bare 403 as a typed error', async () => {
      const r = use(connect({ issuer: server.issuer, clientId: 'strict-client', clientAuth: { method: 'private_key_jwt', alg: 'ES256', audience: 'issuer', signingKey: `file:${p.pki.signing.es256.key}` }, tls: ca() }));
      const before = server.stats.tokenRequests;
      const error = await rejection(() => r.auth.getToken('p'));
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect([(error as TokenEndpointError).status, (error as TokenEndpointError).error, (error as TokenEndpointError).retryable]).to.deep.equal([403, undefined, false]);
      expect(server.stats.tokenRequests - before).to.equal(1);
    });

    it('a wrong key: every variant refused once, the first (standard) rejection surfaces, not retried', async () => {
      const r = use(connect({ issuer: server.issuer, clientId: 'strict-client', clientAuth: { method: 'private_key_jwt', alg: 'PS256', signingKey: `file:${p.pki.signing.ps256.key}` }, tls: ca() }));
      const before = server.stats.tokenRequests;
      const error = await rejection(() => r.auth.getToken('p'));
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect((error as TokenEndpointError).status).to.equal(403);
      expect(server.stats.tokenRequests - before).to.equal(2);
      const auds = assertionsSentTo(server).slice(-2).map((a) => decodeJwt(a).aud);
      expect(auds).to.deep.equal([server.issuer, server.tokenEndpoint]);
    });
  });

  it('the pinned line the warning names works from the first attempt of a new instance (after a restart)', async () => {
    const server = await startStrictServer({ tls: p.tls, clientId: 'c', publicKey: createPublicKey(createPrivateKey(p.read(p.pki.signing.es256.key))), alg: 'ES256', clientSecret: 's' });
    let auth: Finauth | undefined;
    try {
      auth = createFinauth({ strategies: [oauth2()], providers: [{ id: 'p', strategy: 'oauth2', issuer: server.issuer, clientId: 'c', clientAuth: { method: 'private_key_jwt', alg: 'ES256', audience: 'token_endpoint', signingKey: `file:${p.pki.signing.es256.key}` }, tls: ca() }] });
      await auth.getToken('p');
      expect(server.stats).to.deep.include({ tokenRequests: 1, rejected: 0 });
    } finally {
      await auth?.close();
      await server.stop();
    }
  });
});
