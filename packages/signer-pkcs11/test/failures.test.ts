import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { compactVerify } from 'jose';
import { ConfigError } from '@finauth/core';
import pkcs11js from 'pkcs11js';
import { openPkcs11Signer, SignerError, type Pkcs11Signer } from '../src/index.js';
import { libraryUsers } from '../src/pkcs11/Pkcs11Library.js';
import { configError } from './helpers/configError.js';
import { expectNoSecret } from './helpers/noSecret.js';
import { signerConfig } from './helpers/signerConfig.js';
import { softHsm, SOFTHSM_MODULE, type SoftHsm } from './helpers/softHsm.js';


describe('Pkcs11Signer failures', function () {
  let hsm: SoftHsm;
  before(() => {
    hsm = softHsm();
  });
  afterEach(() => {
    expect(libraryUsers(SOFTHSM_MODULE), 'a failed creation releases the module').to.equal(0);
  });

  describe('at creation: a ConfigError naming the field', () => {
    const cases: [string, Record<string, unknown>, string | undefined, string, RegExp][] = [
      ['a wrong PIN', { pin: 'not-the-pin-4711' }, 'PS256', 'pin', /refused the PIN \(CKR_PIN_INCORRECT\)/],
      ['an unknown key label', { keyLabel: 'no-such-key' }, 'PS256', 'keyLabel', /holds no private key labelled "no-such-key"/],
      ['an unknown key id', { keyLabel: undefined, keyId: 'ee' }, 'PS256', 'keyId', /holds no private key with id ee/],
      ['a missing module file', { module: '/nonexistent/libvendor-pkcs11.so' }, 'PS256', 'module', /no file at \/nonexistent\/libvendor-pkcs11\.so/],
      ['a file that is not a PKCS#11 module', { module: '/etc/hostname' }, 'PS256', 'module', /cannot load \/etc\/hostname as a PKCS#11 module/],
      ['an unknown token label', { tokenLabel: 'nope' }, 'PS256', 'tokenLabel', /no token labelled "nope" is present; tokens present: "finauth"/],
      ['an unknown token serial', { tokenLabel: undefined, tokenSerial: '0000' }, 'PS256', 'tokenSerial', /no token with serial "0000"/],
      ['an EC key for PS256', { keyLabel: 'signing-es256' }, 'PS256', 'keyLabel', /is an EC P-256 key; alg PS256 needs an RSA key/],
      ['an RSA key for ES256', { keyLabel: 'signing-ps256' }, 'ES256', 'keyLabel', /is an RSA key; alg ES256 needs an EC P-256 key/],
      ['an RSA key for EdDSA', { keyLabel: 'signing-ps256' }, 'EdDSA', 'keyLabel', /alg EdDSA needs an Ed25519 key/],
      ['a P-384 key for ES256', { keyLabel: 'ec-p384' }, 'ES256', 'keyLabel', /curve other than P-256; alg ES256 needs an EC P-256 key/],
      ['a 1024-bit RSA key', { keyLabel: 'weak-rsa-1024' }, 'PS256', 'keyLabel', /1024-bit RSA key; FAPI 2.0 requires at least 2048 bits/],
      ['an alg outside PS256/ES256/EdDSA', {}, 'RS256', 'alg', /signs PS256, ES256, EdDSA, not RS256/],
      ['both tokenLabel and tokenSerial', { tokenSerial: 'x' }, 'PS256', 'tokenLabel', /exactly one of tokenLabel and tokenSerial/],
      ['neither keyLabel nor keyId', { keyLabel: undefined }, 'PS256', 'keyLabel', /exactly one of keyLabel and keyId/],
    ];
    for (const [name, overrides, alg, path, message] of cases) {
      it(`${name} → ${path}`, () => {
        const error = configError(() => openPkcs11Signer(signerConfig(hsm, overrides), { alg, providerId: 'bank' }));
        expect(error.issues.map((i) => i.path)).to.deep.equal([path]);
        expect(error.issues[0]!.message).to.match(message);
        expect(error.providerId).to.equal('bank');
        expectNoSecret(error, hsm.pin);
        expectNoSecret(error, 'not-the-pin-4711');
      });
    }

    it('refuses a second PIN for a token this process is already logged in to', async () => {
      const first = openPkcs11Signer(signerConfig(hsm), {});
      try {
        const error = configError(() => openPkcs11Signer(signerConfig(hsm, { pin: 'other-pin-0815', keyLabel: 'signing-es256' }), {}));
        expect(error.issues[0]).to.include({ path: 'pin' });
        expect(error.issues[0]!.message).to.match(/differs from the PIN another provider/);
        expectNoSecret(error, 'other-pin-0815');
        expectNoSecret(error, hsm.pin);
      } finally {
        await first.close();
      }
    });

    it('never shows the PIN in the signer\'s JSON or inspection', async () => {
      const s = openPkcs11Signer(signerConfig(hsm), {});
      try {
        expectNoSecret(s, hsm.pin);
        expect(JSON.parse(JSON.stringify(s))).to.deep.include({ type: 'pkcs11', alg: 'PS256', tokenLabel: 'finauth' });
      } finally {
        await s.close();
      }
    });
  });

  describe('on the call: a SignerError', () => {
    let signer: Pkcs11Signer | undefined;
    afterEach(async () => {
      await signer?.close();
      signer = undefined;
    });

    it('sessions lost under the signer (HSM failover, CKR_SESSION_HANDLE_INVALID) → reopened and logged in again: the call succeeds', async () => {
      signer = openPkcs11Signer(signerConfig(hsm, { keyLabel: hsm.keys.ec.label }), {});
      await compactVerify(await signer.sign({ n: 1 }, {}), hsm.keys.ec.publicKey);
      // A second handle on the same module in this process (as another library in the process would hold):
      // C_CloseAllSessions ends every session of the token and with the last one the login.
      const other = new pkcs11js.PKCS11();
      other.load(SOFTHSM_MODULE);
      const slot = other.C_GetSlotList(true).find((s) => other.C_GetTokenInfo(s).label.trim() === 'finauth')!;
      other.C_CloseAllSessions(slot);
      await compactVerify(await signer.sign({ n: 2 }, {}), hsm.keys.ec.publicKey);
      const signed = await Promise.all(Array.from({ length: 20 }, (_, n) => signer!.sign({ n }, {})));
      for (const jws of signed) await compactVerify(jws, hsm.keys.ec.publicKey);
    });

    it('a token removed mid-run → SignerError token_unavailable with the CKR code, on every call, never the PIN', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = join(hsm.dir, 'removable.pem');
      writeFileSync(pem, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      hsm.initToken('removable', hsm.pin);
      hsm.importPemInto('removable', pem, 'k', '0a');
      // SoftHSM lists the tokens it finds at C_Initialize: start the module afresh so it sees this one.
      signer = openPkcs11Signer(signerConfig(hsm, { tokenLabel: 'removable', keyLabel: 'k' }), { providerId: 'bank' });
      await compactVerify(await signer.sign({ n: 1 }, {}), pair.publicKey);

      hsm.deleteToken('removable');
      for (let i = 0; i < 3; i++) {
        const error = await signer.sign({ n: 2 }, {}).then(() => undefined, (e: unknown) => e);
        expect(SignerError.is(error), String(error)).to.equal(true);
        expect(error).to.include({ reason: 'token_unavailable', code: 'FINAUTH_SIGNER', providerId: 'bank' });
        expect((error as SignerError).pkcs11Code).to.match(/^CKR_/);
        expect((error as Error).message).to.match(/^token "removable" is not available \(/);
        expectNoSecret(error, hsm.pin);
      }
    });

    it('a closed signer → closed', async () => {
      const s = openPkcs11Signer(signerConfig(hsm), {});
      await s.close();
      const error = await s.sign({}, {}).then(() => undefined, (e: unknown) => e);
      expect(error).to.include({ reason: 'closed', code: 'FINAUTH_SIGNER' });
    });
  });
});
