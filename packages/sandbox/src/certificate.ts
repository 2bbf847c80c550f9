import { randomBytes, webcrypto } from 'node:crypto';
import { pkcs8Pem } from './pem.js';
import { x509 } from './x509.js';

const {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} = x509;
type X509Certificate = x509.X509Certificate;
type Extension = x509.Extension;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** EC P-256 keeps generation of the whole PKI in the tens of milliseconds. */
const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A certificate made here and its key pair. Typed without @peculiar/x509's types (which need the
 * DOM lib), so a strict TypeScript program importing the sandbox compiles with skipLibCheck off.
 */
export interface IssuedCertificate {
  /** The certificate: its subject is the issuer of what it signs. */
  cert: { readonly subject: string };
  keys: CryptoKeyPair;
  certPem: string;
  keyPem: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** Validity relative to now, in days (negative values are in the past). */
export function daysFromNow(fromDays: number, toDays: number): Validity {
  const now = Date.now();
  return { notBefore: new Date(now + fromDays * DAY_MS), notAfter: new Date(now + toDays * DAY_MS) };
}

function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
}

/** A positive serial of 16 random bytes (RFC 5280 §4.1.2.2 allows up to 20). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function finish(cert: X509Certificate, keys: CryptoKeyPair): Promise<IssuedCertificate> {
  return { cert, keys, certPem: cert.toString('pem') + '\n', keyPem: await pkcs8Pem(keys.privateKey) };
}

export async function createCa(subject: string, validity: Validity): Promise<IssuedCertificate> {
  const keys = await newKeys();
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject,
    ...validity,
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return finish(cert, keys);
}

export type LeafPurpose = 'server' | 'client';

/** A subjectAltName entry (RFC 5280 §4.2.1.6): `{ type: 'dns', value: 'bank.example' }`, `{ type: 'ip', value: '127.0.0.1' }`. */
export interface AltName {
  readonly type: 'dns' | 'ip' | 'url' | 'email';
  readonly value: string;
}

export async function issueLeaf(
  ca: IssuedCertificate,
  subject: string,
  purpose: LeafPurpose,
  validity: Validity,
  altNames: readonly AltName[] = [],
): Promise<IssuedCertificate> {
  const keys = await newKeys();
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([purpose === 'server' ? ExtendedKeyUsage.serverAuth : ExtendedKeyUsage.clientAuth]),
    await SubjectKeyIdentifierExtension.create(keys.publicKey),
    await AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (altNames.length > 0) extensions.push(new SubjectAlternativeNameExtension(altNames.map((n) => ({ ...n }))));
  const cert = await X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.cert.subject,
    ...validity,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  return finish(cert, keys);
}
