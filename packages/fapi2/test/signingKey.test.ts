import * as nodeCrypto from 'node:crypto';
import { expect } from 'chai';
import { ConfigError } from '@finauth/core';
import { loadSigningKey } from '../src/index.js';
import { buildProvider, defaultKey } from './helpers/build.js';
import { ecKey, ed25519Key, pkcs1Pem, rsaKey, transportCertificate } from './helpers/material.js';

/** The ConfigError createFinauth throws for this clientAuth. */
function configErrorFor(clientAuth: Record<string, unknown>, provider: Record<string, unknown> = {}): ConfigError {
  try {
    const { auth } = buildProvider({ clientAuth, provider });
    void auth.close();
  } catch (e) {
    if (ConfigError.is(e)) return e;
    throw e;
  }
  throw new Error('createFinauth accepted the config');
}

function issueAt(error: ConfigError, path: string): string {
  const issue = error.issues.find((i) => i.path === path);
  expect(issue, `issues: ${JSON.stringify(error.issues)}`).to.not.equal(undefined);
  return issue!.message;
}

describe('signing key checks at creation (FAPI 2.0 SP §5.4.1)', () => {
  it('rejects an RSA key under 2048 bits', () => {
    const error = configErrorFor({ method: 'private_key_jwt', signingKey: rsaKey(1024).privatePem });
    expect(issueAt(error, 'providers[0].clientAuth.signingKey')).to.contain('1024-bit').and.contain('2048');
  });

  it('rejects a PKCS#1 PEM with the openssl conversion hint', () => {
    const error = configErrorFor({ method: 'private_key_jwt', signingKey: pkcs1Pem() });
    const message = issueAt(error, 'providers[0].clientAuth.signingKey');
    expect(message).to.contain('PKCS#1').and.contain('openssl pkcs8 -topk8 -nocrypt');
  });

  it('rejects an EC key with alg PS256 (the default), and an RSA key with ES256', () => {
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: ecKey().privatePem }), 'providers[0].clientAuth.signingKey')).to.contain('PS256 needs an RSA key');
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: defaultKey().privatePem, alg: 'ES256' }), 'providers[0].clientAuth.signingKey')).to.contain('ES256 needs an EC P-256 key');
  });

  it('rejects a P-384 key for ES256 and an RSA key for EdDSA', () => {
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: ecKey('P-384').privatePem, alg: 'ES256' }), 'providers[0].clientAuth.signingKey')).to.contain('secp384r1');
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: defaultKey().privatePem, alg: 'EdDSA' }), 'providers[0].clientAuth.signingKey')).to.contain('Ed25519');
  });

  it('rejects a certificate given as the signing key', () => {
    const error = configErrorFor({ method: 'private_key_jwt', signingKey: transportCertificate().cert });
    expect(issueAt(error, 'providers[0].clientAuth.signingKey')).to.contain('certificate, not a private key');
  });

  it('rejects a public JWK and a SEC1 EC PEM', () => {
    const publicJwk = ecKey().publicKey.export({ format: 'jwk' });
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: publicJwk, alg: 'ES256' }), 'providers[0].clientAuth.signingKey')).to.contain('"d" is missing');
    const sec1 = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    expect(issueAt(configErrorFor({ method: 'private_key_jwt', signingKey: sec1, alg: 'ES256' }), 'providers[0].clientAuth.signingKey')).to.contain('SEC1').and.contain('openssl pkcs8');
  });

  it('rejects algorithms FAPI 2.0 does not allow (RS256, HS256)', () => {
    for (const alg of ['RS256', 'HS256']) {
      const error = configErrorFor({ method: 'private_key_jwt', signingKey: defaultKey().privatePem, alg });
      expect(issueAt(error, 'providers[0].clientAuth.alg')).to.contain('PS256, ES256, EdDSA');
    }
  });

  it('requires a signing key (or a signer) for private_key_jwt', () => {
    const error = configErrorFor({ method: 'private_key_jwt' });
    expect(issueAt(error, 'providers[0].clientAuth.signingKey')).to.contain('required');
  });

  it('rejects key settings given with tls_client_auth, each by path', () => {
    const error = configErrorFor({ method: 'tls_client_auth', signingKey: defaultKey().privatePem, kid: 'k1' });
    expect(issueAt(error, 'providers[0].clientAuth.signingKey')).to.contain('not used with tls_client_auth');
    expect(issueAt(error, 'providers[0].clientAuth.kid')).to.contain('not used with tls_client_auth');
  });

  it('requires tls.cert and tls.key for fapi2 providers (core applies the strategy TLS policy)', () => {
    const error = configErrorFor({ method: 'tls_client_auth' }, { tls: undefined });
    expect(issueAt(error, 'providers[0].tls.cert')).to.contain('fapi2');
    expect(issueAt(error, 'providers[0].tls.key')).to.contain('fapi2');
  });

  it('rejects an unknown method, a non-https issuer and unknown fields', () => {
    const error = configErrorFor({ method: 'client_secret_basic' }, { issuer: 'http://as.test.example', colour: 'blue' });
    expect(issueAt(error, 'providers[0].clientAuth.method')).to.contain('private_key_jwt, tls_client_auth');
    expect(issueAt(error, 'providers[0].issuer')).to.contain('https');
    expect(issueAt(error, 'providers[0].colour')).to.equal('unknown field');
  });

  it('never puts key material in the error, its message or toJSON()', () => {
    const small = rsaKey(1024).privatePem;
    const pkcs1 = pkcs1Pem();
    for (const key of [small, pkcs1]) {
      const error = configErrorFor({ method: 'private_key_jwt', signingKey: key });
      const body = key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
      const texts = [error.message, JSON.stringify(error), String(error.stack)];
      for (const text of texts) for (const line of body) expect(text).to.not.contain(line);
    }
  });

  it('loadSigningKey accepts each fitting key type and reports the key parts to redact', () => {
    for (const [alg, key] of [['PS256', defaultKey()], ['ES256', ecKey()], ['EdDSA', ed25519Key()]] as const) {
      const loaded = loadSigningKey(key.privatePem, alg);
      expect(loaded.issues, alg).to.deep.equal([]);
      expect(loaded.key!.secretParts).to.include(key.privatePem);
    }
    const jwk = JSON.stringify(nodeCrypto.createPrivateKey(ecKey().privatePem).export({ format: 'jwk' }));
    expect(loadSigningKey(jwk, 'ES256').issues, 'a JWK read from a file: reference').to.deep.equal([]);
  });
});
