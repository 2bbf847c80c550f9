import { createHash, X509Certificate, type JsonWebKey } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { attribute, boolAttribute, findObjects, ulongAttribute } from '../pkcs11/findKey.js';
import type { Pkcs11 } from '../pkcs11/Pkcs11Library.js';
import { MIN_RSA_BITS, type Pkcs11Alg } from './algorithms.js';

/** PKCS#11 v3.0 values pkcs11js 2.1 has no constants for. @see PKCS#11 v3.0 current mechanisms §2.3 */
export const CKK_EC_EDWARDS = 0x40;
export const CKM_EDDSA = 0x1057;

/** DER of the named-curve OIDs in CKA_EC_PARAMS (RFC 5480 §2.1.1.1; RFC 8410 §3). */
const P256_OID = Buffer.from('06082a8648ce3d030107', 'hex');
const ED25519_OID = Buffer.from('06032b6570', 'hex');
/** PKCS#11 v3.0 also allows the curve's name as a PrintableString. */
const ED25519_NAME = Buffer.concat([Buffer.from([0x13, 12]), Buffer.from('edwards25519', 'ascii')]);

export type KeyKind = { type: 'rsa'; bits: number } | { type: 'ec-p256' } | { type: 'ed25519' } | { type: 'other'; description: string };

/** What the token says about a private key: its kind, whether it may sign, its public half if findable. */
export interface KeyProfile {
  readonly kind: KeyKind;
  readonly canSign: boolean;
  /** The public key as a JWK, from the key, its public-key object or its certificate; undefined if the token holds none. */
  readonly publicJwk: JsonWebKey | undefined;
  /** Where the public key came from (doctor prints it). */
  readonly publicFrom: 'private key' | 'public key object' | 'certificate' | undefined;
  /** The certificate stored with the key (same CKA_ID), DER. */
  readonly certificate: Buffer | undefined;
}

const b64u = (b: Buffer): string => b.toString('base64url');

export function keyProfile(api: Pkcs11, session: Buffer, handle: Buffer): KeyProfile {
  const keyType = ulongAttribute(api, session, handle, pkcs11js.CKA_KEY_TYPE);
  const id = attribute(api, session, handle, pkcs11js.CKA_ID);
  const label = attribute(api, session, handle, pkcs11js.CKA_LABEL)?.toString('utf8');
  const canSign = boolAttribute(api, session, handle, pkcs11js.CKA_SIGN) !== false;
  // The companion objects share the private key's CKA_ID (PKCS#11 v2.40 base §4.4: "key identifier for public/private key pair").
  const selector = id && id.length > 0 ? { keyId: id.toString('hex') } : label !== undefined ? { keyLabel: label } : undefined;
  const publicHandle = selector ? findObjects(api, session, pkcs11js.CKO_PUBLIC_KEY, selector, 1)[0] : undefined;
  const certHandle = selector ? findObjects(api, session, pkcs11js.CKO_CERTIFICATE, selector, 1)[0] : undefined;
  const certificate = certHandle ? attribute(api, session, certHandle, pkcs11js.CKA_VALUE) : undefined;
  const fromCertificate = (): JsonWebKey | undefined => {
    if (!certificate) return undefined;
    try {
      return new X509Certificate(certificate).publicKey.export({ format: 'jwk' });
    } catch {
      return undefined;
    }
  };

  let kind: KeyKind;
  let publicJwk: JsonWebKey | undefined;
  let publicFrom: KeyProfile['publicFrom'];
  if (keyType === pkcs11js.CKK_RSA) {
    // RSA private key objects carry the public modulus and exponent (v2.40 current mechanisms §2.1.3).
    let n = attribute(api, session, handle, pkcs11js.CKA_MODULUS);
    let e = attribute(api, session, handle, pkcs11js.CKA_PUBLIC_EXPONENT);
    publicFrom = 'private key';
    if ((!n || !e) && publicHandle) {
      n = attribute(api, session, publicHandle, pkcs11js.CKA_MODULUS);
      e = attribute(api, session, publicHandle, pkcs11js.CKA_PUBLIC_EXPONENT);
      publicFrom = 'public key object';
    }
    const bits = n ? bitLength(n) : (ulongAttribute(api, session, handle, pkcs11js.CKA_MODULUS_BITS) ?? 0);
    kind = { type: 'rsa', bits };
    if (n && e) publicJwk = { kty: 'RSA', n: b64u(stripZeros(n)), e: b64u(stripZeros(e)) };
  } else if (keyType === pkcs11js.CKK_EC || keyType === CKK_EC_EDWARDS) {
    const params = attribute(api, session, handle, pkcs11js.CKA_EC_PARAMS) ?? (publicHandle ? attribute(api, session, publicHandle, pkcs11js.CKA_EC_PARAMS) : undefined);
    const point = publicHandle ? attribute(api, session, publicHandle, pkcs11js.CKA_EC_POINT) : undefined;
    publicFrom = 'public key object';
    if (keyType === pkcs11js.CKK_EC && params?.equals(P256_OID)) {
      kind = { type: 'ec-p256' };
      const raw = point ? unwrapOctetString(point, 65) : undefined;
      if (raw && raw[0] === 0x04) publicJwk = { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) };
    } else if (params && (params.equals(ED25519_OID) || params.equals(ED25519_NAME))) {
      kind = { type: 'ed25519' };
      const raw = point ? unwrapOctetString(point, 32) : undefined;
      if (raw) publicJwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(raw) };
    } else {
      kind = { type: 'other', description: `an ${keyType === CKK_EC_EDWARDS ? 'Edwards' : 'EC'} key on a curve other than ${keyType === CKK_EC_EDWARDS ? 'Ed25519' : 'P-256'}` };
    }
  } else {
    kind = { type: 'other', description: `a key of PKCS#11 type 0x${(keyType ?? 0).toString(16)}` };
  }
  if (!publicJwk) {
    publicJwk = fromCertificate();
    publicFrom = publicJwk ? 'certificate' : undefined;
  }
  return { kind, canSign, publicJwk, publicFrom, certificate };
}

/** Why a key of `kind` cannot sign `alg`, or undefined when it can. */
export function misfit(kind: KeyKind, alg: Pkcs11Alg): string | undefined {
  const what = kind.type === 'rsa' ? `an RSA key` : kind.type === 'ec-p256' ? 'an EC P-256 key' : kind.type === 'ed25519' ? 'an Ed25519 key' : kind.description;
  switch (alg) {
    case 'PS256':
      if (kind.type !== 'rsa') return `is ${what}; alg PS256 needs an RSA key`;
      if (kind.bits < MIN_RSA_BITS) return `is a ${kind.bits}-bit RSA key; FAPI 2.0 requires at least ${MIN_RSA_BITS} bits`;
      return undefined;
    case 'ES256':
      return kind.type === 'ec-p256' ? undefined : `is ${what}; alg ES256 needs an EC P-256 key`;
    case 'EdDSA':
      return kind.type === 'ed25519' ? undefined : `is ${what}; alg EdDSA needs an Ed25519 key`;
  }
}

/** The RFC 7638 SHA-256 thumbprint of a public JWK: the conventional `kid`. @see RFC 7638 §3.2 */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify((jwk as Record<string, unknown>)[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** CKA_EC_POINT is a DER OCTET STRING (v2.40 §2.3.3); some modules give the raw point. */
function unwrapOctetString(value: Buffer, size: number): Buffer | undefined {
  if (value.length === size) return value;
  if (value[0] === 0x04 && value[1] === size && value.length === size + 2) return value.subarray(2);
  if (value[0] === 0x04 && value[1] === 0x81 && value[2] === size && value.length === size + 3) return value.subarray(3);
  return undefined;
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i += 1;
  return b.subarray(i);
}

function bitLength(n: Buffer): number {
  const s = stripZeros(n);
  return (s.length - 1) * 8 + (s[0] ?? 0).toString(2).length;
}
