import { webcrypto } from 'node:crypto';
import { expect } from 'chai';
import { compactVerify, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { HmacSigner, JoseSigner } from '../src/index.js';
import { SigningKey } from '../src/signing/SigningKey.js';
import { ecKey, ed25519Key, rsaKey } from './helpers/keys.js';

type CryptoKey = webcrypto.CryptoKey;

describe('SigningKey (each key imported once into a CryptoKey)', () => {
  for (const [alg, key] of [
    ['PS256', rsaKey()],
    ['PS384', rsaKey()],
    ['RS256', rsaKey()],
    ['ES256', ecKey()],
    ['ES384', ecKey('P-384')],
    ['ES512', ecKey('P-521')],
    ['EdDSA', ed25519Key()],
  ] as const) {
    it(`${alg}: JoseSigner's JWS verifies with the public key; header and payload are what SignJWT writes`, async () => {
      const signer = new JoseSigner(key.privateKey, alg, 'k1');
      const payload = { iss: 'client', aud: 'https://as.example/token', jti: 'j-1', iat: 1_700_000_000, exp: 1_700_000_060 };
      const header = { typ: 'JWT', kid: 'k1' };
      const jws = await signer.sign(payload, header);
      const verified = await jwtVerify(jws, key.publicKey, { algorithms: [alg], currentDate: new Date(1_700_000_010_000) });
      expect(verified.payload).to.deep.equal(payload);
      expect(verified.protectedHeader).to.deep.equal({ ...header, alg });
      const reference = await new SignJWT(payload).setProtectedHeader({ ...header, alg }).sign(key.privateKey);
      expect(jws.split('.').slice(0, 2)).to.deep.equal(reference.split('.').slice(0, 2));
      // The second signature uses the imported key: still valid, and a fresh one.
      const again = await signer.sign(payload, header);
      await compactVerify(again, key.publicKey);
      // A different key does not verify it (the check above would catch a wrong key).
      let refused: unknown;
      await compactVerify(again, (alg === 'EdDSA' ? ed25519Key() : alg.startsWith('E') ? ecKey(alg === 'ES256' ? 'P-256' : alg === 'ES384' ? 'P-384' : 'P-521') : rsaKey()).publicKey).catch((e: unknown) => (refused = e));
      expect(String(refused)).to.match(/signature verification failed/);
    });
  }

  for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
    it(`${alg}: HmacSigner writes exactly the JWS jose writes from the secret's bytes (HMAC is deterministic)`, async () => {
      const secret = 'a client secret of reasonable length, 32+ bytes';
      const payload = { iss: 'client', sub: 'client', aud: 'https://as.example/token', jti: 'j-2' };
      const jws = await new HmacSigner(secret, alg).sign(payload, { typ: 'JWT' });
      const reference = await new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg }).sign(new TextEncoder().encode(secret));
      expect(jws).to.equal(reference);
      expect(decodeProtectedHeader(jws).alg).to.equal(alg);
      const other = await new HmacSigner(`${secret}!`, alg).sign(payload, { typ: 'JWT' });
      expect(other).to.not.equal(reference);
    });
  }

  it('imports once, whatever the number of concurrent first signatures', async () => {
    const key = ecKey();
    let imports = 0;
    const signing = new SigningKey(() => {
      imports++;
      return SigningKey.asymmetric(key.privateKey, 'ES256')['importKey']();
    });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => signing.sign({ i }, { alg: 'ES256' })));
    await signing.sign({ i: 20 }, { alg: 'ES256' });
    expect(imports).to.equal(1);
    for (const jws of all) await compactVerify(jws, key.publicKey);
  });

  it('a failed import fails those signatures and is tried again by the next one', async () => {
    const key = ecKey();
    let imports = 0;
    const signing = new SigningKey((): Promise<CryptoKey> => {
      imports++;
      if (imports === 1) return Promise.reject(new Error('the key store is not ready'));
      return SigningKey.asymmetric(key.privateKey, 'ES256')['importKey']();
    });
    const first = await Promise.allSettled([signing.sign({}, { alg: 'ES256' }), signing.sign({}, { alg: 'ES256' })]);
    expect(first.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    await compactVerify(await signing.sign({}, { alg: 'ES256' }), key.publicKey);
    expect(imports).to.equal(2);
  });

  it('shows nothing of the key when logged or serialised', () => {
    const signing = SigningKey.asymmetric(rsaKey().privateKey, 'PS256');
    expect(JSON.stringify(signing)).to.equal('{}');
    expect(Object.keys(signing)).to.deep.equal([]);
    expect(JSON.stringify(new HmacSigner('s3cret-value'))).to.equal('{"alg":"HS256"}');
  });
});
