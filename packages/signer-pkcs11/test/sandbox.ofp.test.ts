import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { ConfigError, createFinauth, type Finauth, type FinauthOptions } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { RecordingLogger, sandboxSuite } from '@finauth-test/support';
import { pkcs11Signer, SignerError } from '../src/index.js';
import { libraryUsers } from '../src/pkcs11/Pkcs11Library.js';
import { configError } from './helpers/configError.js';
import { expectNoSecret } from './helpers/noSecret.js';
import { softHsm, SOFTHSM_MODULE, TOKEN_LABEL, type SoftHsm } from './helpers/softHsm.js';

const PIN_ENV = 'FINAUTH_TEST_HSM_PIN';

describe('fapi2 with an HSM-held signing key against the sandbox OFP (SoftHSM2, real mutual TLS)', function () {
  const suite = sandboxSuite();
  let hsm: SoftHsm;

  before(async () => {
    hsm = softHsm();
    // The OFP has the sandbox's PS256 and ES256 client keys registered (their public JWKs): an
    // operator imports such a key into the HSM once, and from then on only the token signs with it.
    hsm.importPem(suite.sandbox.pki.signing.ps256.key, 'ofp-ps256', '11');
    hsm.importPem(suite.sandbox.pki.signing.es256.key, 'ofp-es256', '12');
    process.env[PIN_ENV] = hsm.pin;
  });
  after(async () => {
    delete process.env[PIN_ENV];
  });
  // After the suite's afterEach has closed every tracked Finauth.
  afterEach(() => {
    expect(libraryUsers(SOFTHSM_MODULE), 'close() released every HSM session and the module').to.equal(0);
  });

  function provider(client: 'ps256' | 'es256', overrides: { id?: string; signer?: Record<string, unknown>; clientAuth?: Record<string, unknown> } = {}): Record<string, unknown> {
    const certFiles = suite.sandbox.pki.clients.transport;
    const signing = suite.sandbox.pki.signing[client];
    return {
      id: overrides.id ?? client,
      strategy: 'fapi2',
      issuer: suite.sandbox.ofp.issuer,
      clientId: suite.sandbox.ofp.clients[client].clientId,
      clientAuth: {
        method: 'private_key_jwt',
        alg: signing.alg,
        kid: signing.kid,
        signer: { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: `env:${PIN_ENV}`, keyLabel: `ofp-${client}`, ...overrides.signer },
        ...overrides.clientAuth,
      },
      tls: { cert: `file:${certFiles.cert}`, key: `file:${certFiles.key}`, ca: `file:${suite.sandbox.pki.caCert}` },
      scope: 'accounts',
    };
  }

  function finauth(providers: Record<string, unknown>[], extra: Partial<FinauthOptions> = {}): Finauth {
    const auth = createFinauth({ strategies: [fapi2(), pkcs11Signer()], providers, ...extra });
    suite.track(auth);
    return auth;
  }


  const assertions = (): string[] => suite.sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token').map((l) => new URLSearchParams(l.body).get('client_assertion')!);

  for (const client of ['ps256', 'es256'] as const) {
    it(`gets a ${client.toUpperCase()} token the OFP accepts, the assertion signed in the HSM and verified by jose with the registered key`, async () => {
      const auth = finauth([provider(client)]);
      const token = await auth.getToken(client);
      const info = await suite.sandbox.ofp.introspect(token.accessToken);
      expect(info['active']).to.equal(true);
      expect(info['client_id']).to.equal(suite.sandbox.ofp.clients[client].clientId);
      const [assertion] = assertions();
      const signing = suite.sandbox.pki.signing[client];
      expect(decodeProtectedHeader(assertion!)).to.deep.equal({ alg: signing.alg, kid: signing.kid });
      const { payload } = await jwtVerify(assertion!, await importJWK(signing.publicJwk, signing.alg), { audience: suite.sandbox.ofp.issuer });
      expect(payload.iss).to.equal(suite.sandbox.ofp.clients[client].clientId);
    });
  }

  it('50 concurrent refreshes across 5 providers sharing one HSM token: every token active, every assertion valid and distinct', async () => {
    const clients = ['ps256', 'es256', 'ps256', 'es256', 'ps256'] as const;
    const auth = finauth(clients.map((c, i) => provider(c, { id: `bank-${i}` })));
    expect(libraryUsers(SOFTHSM_MODULE), 'five providers, one module').to.equal(1);
    // Scopes vary so that single flight does not fold the calls of one provider into one fetch.
    const scopes = ['accounts', 'payments', 'accounts payments'];
    const calls = Array.from({ length: 50 }, (_, i) => auth.getToken(`bank-${i % 5}`, { forceRefresh: true, scope: scopes[Math.floor(i / 5) % 3]! }));
    const tokens = await Promise.all(calls);
    expect(tokens).to.have.length(50);
    const distinct = [...new Set(tokens.map((t) => t.accessToken))];
    for (const access of distinct) expect((await suite.sandbox.ofp.introspect(access))['active']).to.equal(true);
    const sent = assertions();
    expect(sent.length).to.be.at.least(15);
    expect(new Set(sent.map((a) => decodeJwt(a).jti)).size).to.equal(sent.length);
    for (const assertion of sent) {
      const alg = decodeProtectedHeader(assertion).alg as 'PS256' | 'ES256';
      const signing = suite.sandbox.pki.signing[alg === 'PS256' ? 'ps256' : 'es256'];
      await jwtVerify(assertion, await importJWK(signing.publicJwk, alg));
    }
  });

  describe('failures', () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>, string, RegExp][] = [
      ['a wrong PIN', { pin: 'wrong-pin-31337' }, {}, 'providers[0].clientAuth.signer.pin', /refused the PIN \(CKR_PIN_INCORRECT\)/],
      ['an unset PIN variable', { pin: 'env:FINAUTH_TEST_NO_SUCH_PIN' }, {}, 'providers[0].clientAuth.signer.pin', /environment variable FINAUTH_TEST_NO_SUCH_PIN is not set/],
      ['an unknown key label', { keyLabel: 'nope' }, {}, 'providers[0].clientAuth.signer.keyLabel', /holds no private key labelled "nope"/],
      ['a missing module file', { module: '/opt/vendor/lib/libcknfast.so' }, {}, 'providers[0].clientAuth.signer.module', /no file at \/opt\/vendor\/lib\/libcknfast\.so/],
      ['an EC key for PS256', { keyLabel: 'ofp-es256' }, {}, 'providers[0].clientAuth.signer.keyLabel', /alg PS256 needs an RSA key/],
      ['an unknown field in the signer', { slot: 0 }, {}, 'providers[0].clientAuth.signer.slot', /unknown field/],
      ['an unknown signer type', { type: 'kms' }, {}, 'providers[0].clientAuth.signer.type', /unknown signer type "kms"; registered: pkcs11/],
    ];
    for (const [name, signer, clientAuth, path, message] of cases) {
      it(`${name} → ConfigError at ${path}, no PIN anywhere`, () => {
        const logger = new RecordingLogger();
        const error = configError(() => finauth([provider('ps256', { signer, clientAuth })], { logger }));
        const issue = error.issues.find((i) => i.path === path);
        expect(issue, JSON.stringify(error.issues)).to.not.equal(undefined);
        expect(issue!.message).to.match(message);
        for (const secret of [hsm.pin, 'wrong-pin-31337']) {
          expectNoSecret(error, secret);
          expect(logger.text()).to.not.include(secret);
        }
      });
    }

    it('a signer config without pkcs11Signer() among the modules → ConfigError naming the type and the fix', () => {
      const error = configError(() => createFinauth({ strategies: [fapi2()], providers: [provider('ps256')] }));
      expect(error.issues).to.deep.include({ path: 'providers[0].clientAuth.signer.type', message: 'unknown signer type "pkcs11"; registered: (none: add the signer package\'s module to strategies, next to the strategy modules)' });
    });

    it('a token removed mid-run → getToken rejects with SignerError token_unavailable; no PIN in the error or the logs', async () => {
      // A token of its own, created while no signer holds the module (SoftHSM lists tokens at C_Initialize).
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = join(hsm.dir, 'ofp-removable.pem');
      writeFileSync(pem, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      hsm.initToken('ofp-removable', hsm.pin);
      hsm.importPemInto('ofp-removable', suite.sandbox.pki.signing.ps256.key, 'k', '21');
      const logger = new RecordingLogger();
      const auth = finauth([provider('ps256', { signer: { tokenLabel: 'ofp-removable', keyLabel: 'k' } })], { logger });
      expect((await suite.sandbox.ofp.introspect((await auth.getToken('ps256')).accessToken))['active']).to.equal(true);
      hsm.deleteToken('ofp-removable');
      const error = await auth.getToken('ps256', { forceRefresh: true }).then(() => undefined, (e: unknown) => e);
      expect(SignerError.is(error), String(error)).to.equal(true);
      expect(error).to.include({ code: 'FINAUTH_SIGNER', reason: 'token_unavailable', providerId: 'ps256' });
      expectNoSecret(error, hsm.pin);
      expect(logger.text()).to.not.include(hsm.pin);
    });
  });
});
