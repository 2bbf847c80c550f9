import { expect } from 'chai';
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { jwkThumbprint, openPkcs11Signer, type Pkcs11Signer } from '../src/index.js';
import { libraryUsers } from '../src/pkcs11/Pkcs11Library.js';
import { signerConfig } from './helpers/signerConfig.js';
import { softHsm, SOFTHSM_MODULE, type SoftHsm, type TestKey } from './helpers/softHsm.js';

describe('Pkcs11Signer (SoftHSM2)', function () {
  let hsm: SoftHsm;
  const open: Pkcs11Signer[] = [];
  before(() => {
    hsm = softHsm();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    expect(libraryUsers(SOFTHSM_MODULE), 'every signer released the module').to.equal(0);
  });
  const signer = (key: TestKey, alg: string | undefined, extra: Record<string, unknown> = {}, kid?: string): Pkcs11Signer => {
    const s = openPkcs11Signer(signerConfig(hsm, { keyLabel: key.label, ...extra }), { alg, kid });
    open.push(s);
    return s;
  };
  const claims = { iss: 'client', sub: 'client', aud: 'https://as.example', jti: 'j1', iat: 1_700_000_000, exp: 4_000_000_000 };

  for (const [name, alg] of [['rsa', 'PS256'], ['ec', 'ES256'], ['ed25519', 'EdDSA']] as const) {
    it(`signs ${alg} that jose verifies with the public key generated outside the token (RFC 7518 / RFC 8037)`, async () => {
      const key = hsm.keys[name];
      const s = signer(key, alg, {}, 'k1');
      const jws = await s.sign(claims, { kid: 'k1', typ: 'JWT' });
      const { payload, protectedHeader } = await jwtVerify(jws, key.publicKey, { algorithms: [alg] });
      expect(protectedHeader).to.deep.equal({ alg, kid: 'k1', typ: 'JWT' });
      expect(payload).to.deep.equal(claims);
      expect(Buffer.from(jws.split('.')[2]!, 'base64url').length).to.equal(alg === 'PS256' ? 256 : 64);
    });
  }

  it('writes its own alg into the header whatever the caller passes', async () => {
    const s = signer(hsm.keys.ec, 'ES256');
    const jws = await s.sign(claims, { alg: 'none' });
    expect(decodeProtectedHeader(jws).alg).to.equal('ES256');
    await compactVerify(jws, hsm.keys.ec.publicKey);
  });

  it('infers the alg from the key when none is asked for', () => {
    expect(signer(hsm.keys.rsa, undefined).alg).to.equal('PS256');
    expect(signer(hsm.keys.ec, undefined).alg).to.equal('ES256');
    expect(signer(hsm.keys.ed25519, undefined).alg).to.equal('EdDSA');
  });

  it('defaults kid to the RFC 7638 thumbprint of the public key read from the token', async () => {
    for (const name of ['rsa', 'ec', 'ed25519'] as const) {
      const key = hsm.keys[name];
      const s = signer(key, undefined);
      expect(s.kid).to.equal(jwkThumbprint(key.publicJwk));
      const jwk = await s.publicJwk();
      expect(jwk).to.not.have.any.keys('d', 'p', 'q');
      const imported = await importJWK(jwk, s.alg);
      await compactVerify(await s.sign(claims, {}), imported);
    }
  });

  it('finds the key by CKA_ID and the token by serial number', async () => {
    const s = signer(hsm.keys.ec, 'ES256', { keyLabel: undefined, keyId: hsm.keys.ec.id, tokenLabel: undefined, tokenSerial: hsm.serial });
    await compactVerify(await s.sign(claims, {}), hsm.keys.ec.publicKey);
  });

  it('signs distinct payloads concurrently without mixing them up (100 at once on 4 sessions)', async () => {
    const rsa = signer(hsm.keys.rsa, 'PS256', { sessions: 4 });
    const ec = signer(hsm.keys.ec, 'ES256', { sessions: 4 });
    const jobs = Array.from({ length: 100 }, (_, i) => ({ i, s: i % 2 === 0 ? rsa : ec, key: i % 2 === 0 ? hsm.keys.rsa : hsm.keys.ec }));
    const signed = await Promise.all(jobs.map((j) => j.s.sign({ ...claims, jti: `j${j.i}` }, {})));
    for (const [n, jws] of signed.entries()) {
      const { payload } = await jwtVerify(jws, jobs[n]!.key.publicKey);
      expect(payload.jti).to.equal(`j${n}`);
    }
  });

  it('shares one login between signers of one token and logs out when the last closes', async () => {
    const a = openPkcs11Signer(signerConfig(hsm, { keyLabel: hsm.keys.rsa.label }), {});
    const b = openPkcs11Signer(signerConfig(hsm, { keyLabel: hsm.keys.ec.label }), {});
    expect(libraryUsers(SOFTHSM_MODULE)).to.equal(1);
    await a.close();
    await compactVerify(await b.sign(claims, {}), hsm.keys.ec.publicKey);
    await b.close();
    expect(libraryUsers(SOFTHSM_MODULE)).to.equal(0);
    const err = await b.sign(claims, {}).then(() => undefined, (e: unknown) => e);
    expect(err).to.have.property('reason', 'closed');
  });
});
