import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, createFinauth } from '@finauth/core';
import { expect } from 'chai';
import { snapBi } from '../src/index.js';

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = rsa2048.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const pkcs1 = rsa2048.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = rsa2048.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const encrypted = rsa2048.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();

const base = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'snap', strategy: 'snap_bi', tokenEndpoint: 'https://127.0.0.1:1/snap/v1.0/access-token/b2b', clientKey: 'partner-1', privateKey: pkcs8, ...over,
});

function issues(provider: Record<string, unknown>, options: Parameters<typeof snapBi>[0] = {}): Array<{ path: string; message: string }> {
  try {
    const auth = createFinauth({ strategies: [snapBi(options)], providers: [provider] });
    void auth.close();
    return [];
  } catch (error) {
    expect(ConfigError.is(error), String(error)).to.equal(true);
    const e = error as ConfigError;
    // No key material in the message or the issues, whatever went wrong.
    for (const text of [e.message, JSON.stringify(e)]) for (const line of pkcs8.split('\n').filter((l) => l.length > 20)) expect(text).not.to.contain(line);
    return [...e.issues];
  }
}
const paths = (list: Array<{ path: string }>): string[] => list.map((i) => i.path);

describe('snap_bi provider config', () => {
  it('accepts a PKCS#8 key, a PKCS#1 key (openssl genrsa -traditional) and an encrypted key with its passphrase', () => {
    expect(issues(base())).to.deep.equal([]);
    expect(issues(base({ privateKey: pkcs1 }))).to.deep.equal([]);
    expect(issues(base({ privateKey: encrypted, privateKeyPassphrase: 'correct horse' }))).to.deep.equal([]);
  });

  it('refuses keys that cannot make SHA256withRSA signatures, naming the field', () => {
    expect(issues(base({ privateKey: rsa1024 }))[0]?.message).to.match(/1024-bit RSA key; at least 2048/);
    expect(issues(base({ privateKey: ec }))[0]?.message).to.match(/is a ec key; SNAP BI signs with SHA256withRSA/);
    expect(issues(base({ privateKey: publicPem }))[0]?.message).to.match(/public key/);
    expect(issues(base({ privateKey: 'not a key' }))[0]?.message).to.match(/not a PEM RSA private key/);
    expect(issues(base({ privateKey: encrypted }))[0]?.message).to.match(/privateKeyPassphrase/);
    expect(issues(base({ privateKey: encrypted, privateKeyPassphrase: 'wrong' }))[0]?.message).to.match(/with the given passphrase/);
    expect(paths(issues(base({ privateKey: ec })))).to.deep.equal(['providers[0].privateKey']);
  });

  it('wants exactly one of privateKey and signer, and a signer it was given', () => {
    expect(paths(issues(base({ privateKey: undefined })))).to.deep.equal(['providers[0].privateKey']);
    expect(paths(issues(base({ signer: 'hsm' }), { signers: { hsm: async () => new Uint8Array([1]) } }))).to.deep.equal(['providers[0].signer']);
    expect(issues(base({ privateKey: undefined, signer: 'hsm' }), { signers: { hsm: async () => new Uint8Array([1]) } })).to.deep.equal([]);
    const unknown = issues(base({ privateKey: undefined, signer: 'kms' }), { signers: { hsm: async () => new Uint8Array([1]) } });
    expect(unknown[0]?.message).to.contain('no signer named "kms"').and.contain('known: hsm');
    expect(paths(issues(base({ privateKey: undefined, signer: 'toString' })))).to.deep.equal(['providers[0].signer']);
  });

  it('checks every field at once: URL, client key, offset, precision, headers', () => {
    const found = issues(base({ tokenEndpoint: 'http://bank.example/token', clientKey: 'has space', timestampOffset: '+7', timestampPrecision: 'nanos', headers: { 'X-PARTNER-ID': 'a\r\nb' } }));
    expect(paths(found).sort()).to.deep.equal(['providers[0].clientKey', 'providers[0].headers', 'providers[0].timestampOffset', 'providers[0].timestampPrecision', 'providers[0].tokenEndpoint']);
  });

  it('refuses extra headers that would replace the signed ones', () => {
    for (const name of ['X-SIGNATURE', 'x-timestamp', 'X-Client-Key', 'Content-Type', 'Authorization']) {
      expect(paths(issues(base({ headers: { [name]: 'x' } }))), name).to.deep.equal([`providers[0].headers.${name}`]);
    }
    expect(issues(base({ headers: { 'X-PARTNER-ID': 'p-1', 'CHANNEL-ID': '95221' } }))).to.deep.equal([]);
  });

  it('reports unknown fields (a typo is not silently ignored)', () => {
    expect(paths(issues(base({ clientSecret: 'x' })))).to.deep.equal(['providers[0].clientSecret']);
  });
});
