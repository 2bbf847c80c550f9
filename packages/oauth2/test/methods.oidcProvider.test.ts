import { createCa, daysFromNow, GENERIC_CLIENT_IDS, startGenericOp, type GenericMethod, type GenericOp } from '@finauth/sandbox';
import { TokenEndpointError, type Finauth } from '@finauth/core';
import { formUrlEncode } from '@finauth/client-auth';
import { expect } from 'chai';
import { everyRendering, rejection } from '@finauth-test/support';
import { connect, testPki, type TestPki } from './support/fixture.js';

/**
 * Each of the six client authentication methods against oidc-provider (the certified reference
 * OP, not our code): a token with the right credential; with a wrong one a typed
 * TokenEndpointError that contains no secret, key or assertion.
 */
describe('oauth2: every client authentication method against oidc-provider', () => {
  let p: TestPki;
  let op: GenericOp;
  let auth: Finauth | undefined;
  let foreignSelfSigned: { cert: string; key: string };

  before(async () => {
    p = await testPki();
    op = await startGenericOp({ tls: p.tls, signingJwk: p.pki.signing.ps256.publicJwk, tlsSubjectDn: p.pki.transportSubjectDn });
    const other = await createCa('CN=finauth-other-self-signed', daysFromNow(-1, 30));
    foreignSelfSigned = { cert: other.certPem, key: other.keyPem };
  });
  after(async () => {
    await op?.stop();
    p?.dispose();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  const ca = () => `file:${p.pki.caCert}`;
  const transport = () => ({ cert: `file:${p.pki.clients.transport.cert}`, key: `file:${p.pki.clients.transport.key}`, ca: ca() });

  /** The right (`good`) and a wrong credential for each method, and what must never be printed. */
  const cases: Record<GenericMethod, { good: () => Record<string, unknown>; bad: () => Record<string, unknown>; secrets: () => string[] }> = {
    client_secret_basic: {
      good: () => ({ clientAuth: { method: 'client_secret_basic', clientSecret: op.clientSecret }, tls: { ca: ca() } }),
      bad: () => ({ clientAuth: { method: 'client_secret_basic', clientSecret: `${op.clientSecret}x` }, tls: { ca: ca() } }),
      secrets: () => [op.clientSecret, `${op.clientSecret}x`, formUrlEncode(`${op.clientSecret}x`)],
    },
    client_secret_post: {
      good: () => ({ clientAuth: { method: 'client_secret_post', clientSecret: op.clientSecret }, tls: { ca: ca() } }),
      bad: () => ({ clientAuth: { method: 'client_secret_post', clientSecret: `${op.clientSecret}x` }, tls: { ca: ca() } }),
      secrets: () => [op.clientSecret, `${op.clientSecret}x`, formUrlEncode(`${op.clientSecret}x`)],
    },
    client_secret_jwt: {
      good: () => ({ clientAuth: { method: 'client_secret_jwt', clientSecret: op.clientSecret }, tls: { ca: ca() } }),
      bad: () => ({ clientAuth: { method: 'client_secret_jwt', clientSecret: `${op.clientSecret}x` }, tls: { ca: ca() } }),
      secrets: () => [op.clientSecret, `${op.clientSecret}x`],
    },
    private_key_jwt: {
      good: () => ({ clientAuth: { method: 'private_key_jwt', signingKey: `file:${p.pki.signing.ps256.key}`, kid: p.pki.signing.ps256.kid }, tls: { ca: ca() } }),
      bad: () => ({ clientAuth: { method: 'private_key_jwt', signingKey: `file:${p.pki.signing.unregisteredSigning.key}` }, tls: { ca: ca() } }),
      secrets: () => keyLines(p.read(p.pki.signing.unregisteredSigning.key)),
    },
    tls_client_auth: {
      good: () => ({ clientAuth: { method: 'tls_client_auth' }, tls: transport() }),
      bad: () => ({ clientAuth: { method: 'tls_client_auth' }, tls: { cert: `file:${p.pki.clients.unregistered.cert}`, key: `file:${p.pki.clients.unregistered.key}`, ca: ca() } }),
      secrets: () => keyLines(p.read(p.pki.clients.unregistered.key)),
    },
    self_signed_tls_client_auth: {
      good: () => ({ clientAuth: { method: 'self_signed_tls_client_auth' }, tls: { cert: op.selfSigned.cert, key: op.selfSigned.key, ca: ca() } }),
      bad: () => ({ clientAuth: { method: 'self_signed_tls_client_auth' }, tls: { cert: foreignSelfSigned.cert, key: foreignSelfSigned.key, ca: ca() } }),
      secrets: () => keyLines(foreignSelfSigned.key),
    },
  };

  for (const [method, c] of Object.entries(cases) as [GenericMethod, (typeof cases)[GenericMethod]][]) {
    describe(method, () => {
      it('gets a Bearer token, discovering the token endpoint from the issuer', async () => {
        const r = connect({ issuer: op.issuer, clientId: GENERIC_CLIENT_IDS[method], ...c.good() });
        auth = r.auth;
        const token = await r.auth.getToken('p');
        expect(token.tokenType).to.equal('Bearer');
        expect(token.expiresAt).to.be.instanceOf(Date);
        expect(r.auth.provider('p').authMethod).to.equal(method);
      });

      it('a wrong credential is a typed, non-retryable TokenEndpointError (401 invalid_client) with no secret in it', async () => {
        const r = connect({ issuer: op.issuer, clientId: GENERIC_CLIENT_IDS[method], ...c.bad() });
        auth = r.auth;
        const before = op.stats.tokenRequests;
        const error = await rejection(() => r.auth.getToken('p'));
        expect(TokenEndpointError.is(error), String(error)).to.equal(true);
        const e = error as TokenEndpointError;
        expect([e.status, e.error, e.retryable]).to.deep.equal([401, 'invalid_client', false]);
        // Adaptation may try the other documented variant once (Basic: raw; assertions: the token endpoint), never more.
        expect(op.stats.tokenRequests - before).to.be.within(1, 2);
        const shown = everyRendering(error) + r.logText();
        for (const secret of c.secrets()) expect(shown).not.to.contain(secret);
        const sent = op.log.filter((l) => l.path === '/token').slice(-1)[0]!;
        const assertion = new URLSearchParams(sent.body).get('client_assertion');
        if (assertion) expect(shown).not.to.contain(assertion);
      });
    });
  }
});

/** The base64 lines of a PEM key: a fragment of a key is as bad to leak as the whole. */
function keyLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
}
