import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { expect } from 'chai';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { checkFit, JoseSigner, jwkThumbprint, jwkThumbprintOf, rawSigner, resolveSigner, type Signer } from '../src/index.js';
import { ecKey, ed25519Key, rsaKey } from './helpers/keys.js';

describe('Signer', () => {
  describe('JoseSigner', () => {
    it('signs a payload under the given header, with its own alg whatever the header says', async () => {
      const key = ecKey();
      const signer = new JoseSigner(key.privateKey, 'ES256', 'k1');
      const jws = await signer.sign({ iss: 'c', n: 1 }, { alg: 'none', typ: 'dpop+jwt', kid: 'k1' });
      const { payload, protectedHeader } = await jwtVerify(jws, key.publicKey, { algorithms: ['ES256'] });
      expect(protectedHeader).to.deep.equal({ alg: 'ES256', typ: 'dpop+jwt', kid: 'k1' });
      expect(payload).to.deep.equal({ iss: 'c', n: 1 });
    });

    it('exports the public JWK without private members, whose thumbprint is the key thumbprint (RFC 7638)', async () => {
      for (const [key, alg] of [
        [rsaKey(), 'PS256'],
        [ecKey(), 'ES256'],
        [ed25519Key(), 'EdDSA'],
      ] as const) {
        const signer = new JoseSigner(key.privateKey, alg);
        const jwk = await signer.publicJwk();
        expect(jwk).to.not.have.any.keys('d', 'p', 'q', 'dp', 'dq', 'qi');
        expect(jwkThumbprintOf(jwk)).to.equal(jwkThumbprint(key.privateKey)).and.equal(await calculateJwkThumbprint(jwk));
        // The exported key verifies what the signer signs: a DPoP server checks exactly this.
        const jws = await signer.sign({ x: 1 }, { typ: 'dpop+jwt', jwk });
        await compactVerify(jws, await importJWK(jwk, alg));
      }
    });

    it('never shows the key when logged or serialised', () => {
      const key = rsaKey();
      const signer = new JoseSigner(key.privateKey, 'PS256', 'k');
      expect(JSON.stringify(signer)).to.equal('{"alg":"PS256","kid":"k"}');
      expect(Object.keys(signer)).to.not.include('key');
    });
  });

  describe('rawSigner (KMS/HSM shape)', () => {
    for (const [alg, curve, hash] of [
      ['ES256', 'P-256', 'sha256'],
      ['ES384', 'P-384', 'sha384'],
      ['ES512', 'P-521', 'sha512'],
    ] as const) {
      it(`${alg}: converts the DER signature a KMS returns into the JOSE form`, async () => {
        const key = ecKey(curve);
        const signer = rawSigner({ alg, kid: 'kms', signBytes: async (input) => nodeSign(hash, input, key.privateKey) });
        const jws = await signer.sign({ a: 1 }, { typ: 'JWT' });
        expect(decodeProtectedHeader(jws)).to.deep.equal({ typ: 'JWT', alg });
        await compactVerify(jws, key.publicKey);
      });
    }

    it('PS256 with salt length 32 verifies (RFC 7518 §3.5)', async () => {
      const key = rsaKey();
      const signer = rawSigner({ alg: 'PS256', signBytes: async (input) => nodeSign('sha256', input, { key: key.privateKey, padding: 6, saltLength: 32 }) });
      await compactVerify(await signer.sign({ a: 1 }, {}), key.publicKey);
    });

    it('offers publicJwk only when given one', async () => {
      const key = ecKey();
      const jwk = await new JoseSigner(key.privateKey, 'ES256').publicJwk();
      const without = rawSigner({ alg: 'ES256', signBytes: async () => new Uint8Array(64) });
      const withJwk = rawSigner({ alg: 'ES256', publicJwk: jwk, signBytes: async () => new Uint8Array(64) });
      expect(without.publicJwk).to.equal(undefined);
      expect(await withJwk.publicJwk!()).to.deep.equal(jwk);
    });

    it('a garbled ECDSA signature is an error, not a token request with a broken assertion', async () => {
      const signer = rawSigner({ alg: 'ES256', signBytes: async () => new Uint8Array([1, 2, 3]) });
      let caught: unknown;
      await signer.sign({}, {}).catch((e: unknown) => (caught = e));
      expect(String(caught)).to.match(/neither the JOSE form nor DER/);
    });
  });

  describe('checkFit', () => {
    it('accepts each key for its own algorithm and names the mismatch otherwise', () => {
      expect(checkFit(rsaKey().privateKey, 'RS256')).to.equal(undefined);
      expect(checkFit(ecKey('P-384').privateKey, 'ES384')).to.equal(undefined);
      expect(checkFit(ecKey('P-256').privateKey, 'ES384')).to.contain('P-384');
      expect(checkFit(ed25519Key().privateKey, 'PS256')).to.contain('needs an RSA key');
      expect(checkFit(rsaKey(1024).privateKey, 'RS256')).to.contain('1024-bit');
    });
  });

  describe('resolveSigner', () => {
    const policy = { allowedAlgs: ['PS256', 'ES256'] as const, defaultAlg: 'PS256' as const, allowedBy: 'this strategy', path: 'clientAuth' };

    it('builds a JoseSigner from a PEM, kid defaulting to the RFC 7638 thumbprint, key text in secrets', () => {
      const key = rsaKey();
      const issues: { path: string; message: string }[] = [];
      const resolved = resolveSigner({ signingKey: key.privatePem }, policy, issues);
      expect(issues).to.deep.equal([]);
      expect(resolved!.kid).to.equal(jwkThumbprint(key.privateKey));
      expect(resolved!.secrets).to.include(key.privatePem);
    });

    it('refuses a given signer whose alg the strategy does not allow, and both signer and key', () => {
      const signer: Signer = { alg: 'RS256', sign: () => Promise.resolve('') };
      const issues: { path: string; message: string }[] = [];
      expect(resolveSigner({ signer, signingKey: rsaKey().privatePem }, policy, issues)).to.equal(undefined);
      expect(issues.map((i) => i.path)).to.deep.equal(['clientAuth.signer', 'clientAuth.signer']);
      expect(issues[1]!.message).to.contain('this strategy allows PS256, ES256');
    });

    it('does not put key material in an issue', () => {
      const pem = createPrivateKey(rsaKey(1024).privatePem).export({ type: 'pkcs8', format: 'pem' }) as string;
      const issues: { path: string; message: string }[] = [];
      resolveSigner({ signingKey: pem }, policy, issues);
      expect(issues).to.have.length(1);
      for (const line of pem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-'))) expect(issues[0]!.message).to.not.contain(line);
    });
  });
});
