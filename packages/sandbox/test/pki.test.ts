import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generatePki, TRANSPORT_SUBJECT_DN, type Pki } from '../src/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('generatePki', () => {
  let dir: string;
  let pki: Pki;
  let ca: X509Certificate;
  const cert = async (path: string): Promise<X509Certificate> => new X509Certificate(await readFile(path));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finauth-pki-test-'));
    pki = await generatePki(dir);
    ca = await cert(pki.caCert);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a CA certificate that is a CA', () => {
    expect(ca.ca).to.equal(true);
    expect(pki.caCert).to.equal(join(dir, 'ca.pem'));
  });

  it('issues a server certificate for localhost, 127.0.0.1 and ::1', async () => {
    const server = await cert(pki.serverCert);
    expect(server.checkIssued(ca)).to.equal(true);
    expect(server.verify(ca.publicKey)).to.equal(true);
    expect(server.checkHost('localhost')).to.equal('localhost');
    expect(server.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(server.checkIP('::1')).to.not.equal(undefined);
  });

  it('issues client certificates with the documented validity and issuer', async () => {
    const now = Date.now();
    for (const name of ['transport', 'unregistered', 'expired', 'expiringSoon'] as const) {
      const c = await cert(pki.clients[name].cert);
      expect(c.verify(ca.publicKey), name).to.equal(true);
    }
    expect(Date.parse((await cert(pki.clients.transport.cert)).validTo)).to.be.greaterThan(now + 300 * DAY_MS);
    expect(Date.parse((await cert(pki.clients.expired.cert)).validTo)).to.be.lessThan(now);
    const soon = Date.parse((await cert(pki.clients.expiringSoon.cert)).validTo) - now;
    expect(soon).to.be.within(9 * DAY_MS, 10 * DAY_MS + 60_000);
    const foreign = await cert(pki.clients.foreign.cert);
    expect(foreign.checkIssued(ca)).to.equal(false);
    expect(foreign.verify(ca.publicKey)).to.equal(false);
  });

  it('gives the transport certificate the subject registered for tls_client_auth', async () => {
    const subject = (await cert(pki.clients.transport.cert)).subject.split('\n').sort();
    expect(subject).to.deep.equal(TRANSPORT_SUBJECT_DN.split(',').sort());
    expect((await cert(pki.clients.unregistered.cert)).subject).to.not.include('transport');
  });

  it('writes every private key as PKCS#8 PEM that matches its certificate', async () => {
    for (const files of [...Object.values(pki.clients), { cert: pki.serverCert, key: pki.serverKey }]) {
      const pem = await readFile(files.key, 'utf8');
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).to.equal(true);
      expect((await cert(files.cert)).checkPrivateKey(createPrivateKey(pem))).to.equal(true);
    }
  });

  it('creates PS256 and ES256 signing keys with RFC 7638 kids and public-only JWKs', async () => {
    const { ps256, es256, unregisteredSigning } = pki.signing;
    expect(ps256.alg).to.equal('PS256');
    expect(ps256.publicJwk).to.include({ kty: 'RSA', kid: ps256.kid, alg: 'PS256', use: 'sig' });
    expect(es256.publicJwk).to.include({ kty: 'EC', crv: 'P-256', kid: es256.kid, alg: 'ES256' });
    expect(unregisteredSigning.alg).to.equal('PS256');
    expect(new Set([ps256.kid, es256.kid, unregisteredSigning.kid]).size).to.equal(3);
    for (const key of [ps256, es256, unregisteredSigning]) {
      expect(key.publicJwk).to.not.have.property('d');
      const pem = await readFile(key.key, 'utf8');
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).to.equal(true);
      expect(createPrivateKey(pem).asymmetricKeyType).to.equal(key.alg === 'PS256' ? 'rsa' : 'ec');
    }
    const rsa = createPrivateKey(await readFile(ps256.key, 'utf8'));
    expect(rsa.asymmetricKeyDetails?.modulusLength).to.equal(2048);
  });
});
