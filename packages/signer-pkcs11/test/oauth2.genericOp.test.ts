import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { oauth2 } from '@finauth/oauth2';
import { GENERIC_CLIENT_IDS, generatePki, startGenericOp, type GenericOp, type Pki } from '@finauth/sandbox';
import { pkcs11Signer } from '../src/index.js';
import { libraryUsers } from '../src/pkcs11/Pkcs11Library.js';
import { configError } from './helpers/configError.js';
import { expectNoSecret } from './helpers/noSecret.js';
import { softHsm, SOFTHSM_MODULE, TOKEN_LABEL, type SoftHsm, type TestKey } from './helpers/softHsm.js';

const PIN_ENV = 'FINAUTH_TEST_OAUTH2_HSM_PIN';

/**
 * Issue 20 with issue 21: an oauth2 provider (`strategy: 'oauth2'`, private_key_jwt) whose key is
 * a config-declared PKCS#11 signer. The server is oidc-provider (the sandbox's generic OP, not our
 * code), with the HSM key's public JWK registered for its private_key_jwt client.
 */
describe('oauth2 private_key_jwt with an HSM-held key against oidc-provider (SoftHSM2)', function () {
  let hsm: SoftHsm;
  let dir: string;
  let pki: Pki;
  const ops: Partial<Record<'PS256' | 'ES256', GenericOp>> = {};
  const open: Finauth[] = [];

  const keyFor = (alg: 'PS256' | 'ES256'): TestKey => (alg === 'PS256' ? hsm.keys.rsa : hsm.keys.ec);
  const kidFor = (alg: 'PS256' | 'ES256'): string => `hsm-${alg.toLowerCase()}`;

  before(async () => {
    hsm = softHsm();
    dir = mkdtempSync(join(tmpdir(), 'finauth-oauth2-hsm-'));
    pki = await generatePki(dir);
    const tls = { key: readFileSync(pki.serverKey, 'utf8'), cert: readFileSync(pki.serverCert, 'utf8'), ca: readFileSync(pki.caCert, 'utf8') };
    // One OP per algorithm: its private_key_jwt client has exactly the HSM key's public half registered.
    for (const alg of ['PS256', 'ES256'] as const) {
      ops[alg] = await startGenericOp({ tls, signingJwk: { ...keyFor(alg).publicJwk, alg, kid: kidFor(alg), use: 'sig' }, tlsSubjectDn: pki.transportSubjectDn });
    }
    process.env[PIN_ENV] = hsm.pin;
  });
  after(async () => {
    delete process.env[PIN_ENV];
    await Promise.all(Object.values(ops).map((op) => op.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
    expect(libraryUsers(SOFTHSM_MODULE), 'close() released every HSM session and the module').to.equal(0);
  });

  function provider(alg: 'PS256' | 'ES256', clientAuth: Record<string, unknown> = {}, signer: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: `hsm-${alg}`,
      strategy: 'oauth2',
      issuer: ops[alg]!.issuer,
      clientId: GENERIC_CLIENT_IDS.private_key_jwt,
      clientAuth: {
        method: 'private_key_jwt',
        alg,
        kid: kidFor(alg),
        signer: { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: `env:${PIN_ENV}`, keyLabel: keyFor(alg).label, ...signer },
        ...clientAuth,
      },
      tls: { ca: `file:${pki.caCert}` },
      retry: { maxRetries: 0 },
    };
  }

  function finauth(providers: Record<string, unknown>[]): Finauth {
    const auth = createFinauth({ strategies: [oauth2(), pkcs11Signer()], providers });
    open.push(auth);
    return auth;
  }

  for (const alg of ['PS256', 'ES256'] as const) {
    it(`${alg}: gets a token; the assertion was signed in the HSM and verifies (jose) with the registered public key`, async () => {
      const op = ops[alg]!;
      op.log.clear();
      const auth = finauth([provider(alg)]);
      expect(libraryUsers(SOFTHSM_MODULE), 'the provider opened the token at creation').to.equal(1);
      const token = await auth.getToken(`hsm-${alg}`);
      expect(token.tokenType).to.equal('Bearer');
      expect(auth.provider(`hsm-${alg}`).authMethod).to.equal('private_key_jwt');
      const posts = op.log.filter((l) => l.method === 'POST' && l.path === '/token');
      expect(posts).to.have.length(1);
      const assertion = new URLSearchParams(posts[0]!.body).get('client_assertion')!;
      expect(decodeProtectedHeader(assertion)).to.include({ alg, kid: kidFor(alg) });
      const { payload } = await jwtVerify(assertion, await importJWK({ ...keyFor(alg).publicJwk }, alg));
      expect(payload.iss).to.equal(GENERIC_CLIENT_IDS.private_key_jwt);
      // Default audience 'auto': the issuer first (accepted by oidc-provider).
      expect(payload.aud).to.equal(op.issuer);
    });
  }

  it('auth.close() closes the HSM session: the module is released (logged out, finalised) by the provider, not by the test', async () => {
    const auth = createFinauth({ strategies: [oauth2(), pkcs11Signer()], providers: [provider('ES256')] });
    await auth.getToken('hsm-ES256');
    expect(libraryUsers(SOFTHSM_MODULE)).to.equal(1);
    await auth.close();
    expect(libraryUsers(SOFTHSM_MODULE), 'no HSM user left after close()').to.equal(0);
  });

  it('a provider that is not created (another field is wrong) does not keep the token open', async () => {
    // clientSecret is not used with private_key_jwt: a ConfigError after the signer was opened.
    const error = configError(() => finauth([provider('PS256', { clientSecret: 'not-for-pkjwt' })]));
    expect(error.issues.map((i) => i.path)).to.deep.equal(['providers[0].clientAuth.clientSecret']);
    // Closing waits for in-flight signatures (none here), so it completes a few ticks later.
    expect(await settled(() => libraryUsers(SOFTHSM_MODULE) === 0), 'the signer opened for the failed provider was closed').to.equal(true);
  });

  it('a wrong PIN → ConfigError at providers[0].clientAuth.signer.pin, no PIN anywhere in it', () => {
    const error = configError(() => finauth([provider('ES256', {}, { pin: 'oauth2-wrong-pin-777' })]));
    expect(error.issues.map((i) => i.path)).to.deep.equal(['providers[0].clientAuth.signer.pin']);
    expect(error.issues[0]!.message).to.match(/^token "finauth" refused the PIN \(CKR_PIN_INCORRECT\)/);
    expectNoSecret(error, 'oauth2-wrong-pin-777');
    expectNoSecret(error, hsm.pin);
  });

  it('the wrong HSM key for the registered kid: a typed rejection from the server, no PIN in it', async () => {
    // The ES256 OP has only the HSM's EC key registered: an assertion signed by the HSM's RSA key must be refused.
    const auth = finauth([provider('ES256', { alg: 'PS256' }, { keyLabel: hsm.keys.rsa.label })]);
    const error = await auth.getToken('hsm-ES256').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(TokenEndpointError.is(error), String(error)).to.equal(true);
    expect(error).to.include({ providerId: 'hsm-ES256' });
    expectNoSecret(error, hsm.pin);
  });
});

/** True once `condition` holds, false if it still does not after `ms`. */
async function settled(condition: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
