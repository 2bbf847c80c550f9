import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { ConfigIssue } from '@finauth/core';
import { ParsedMaterial } from '@finauth/core/internal';
import type { AsymmetricAlg } from './algorithms.js';

/** RSA keys shall be at least 2048 bits: RFC 7518 §3.3/§3.5 and FAPI 2.0 SP §5.4.1 agree. */
export const MIN_RSA_BITS = 2048;
/** JWK members that hold private key material (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const CONVERT_HINT = 'convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem';

export interface LoadedSigningKey {
  readonly key: KeyObject;
  /**
   * Strings of the key material, for the redactor: never to appear in a message. A PEM is given
   * whole: core's Redactor masks each of its base64 lines too, once it is built.
   */
  readonly secretParts: readonly string[];
}

/**
 * Turns `clientAuth.signingKey` into a KeyObject, synchronously (createFinauth throws its
 * ConfigError itself), and checks it fits `alg`. Every problem is returned as an issue naming the
 * field; no message contains key material.
 * @see RFC 7518 §3 (key sizes per alg), FAPI 2.0 Security Profile §5.4.1 (RSA >= 2048 bits)
 */
export function loadSigningKey(input: string | Record<string, unknown>, alg: AsymmetricAlg, path = 'clientAuth.signingKey', material?: ParsedMaterial): { key?: LoadedSigningKey; issues: ConfigIssue[] } {
  const issue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ path, message }] });
  let key: KeyObject;
  let secretParts: string[];
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('{')) {
      let jwk: unknown;
      try {
        jwk = JSON.parse(text);
      } catch {
        return issue('looks like JSON but does not parse as a JWK');
      }
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return issue('is JSON but not a JWK object');
      const loaded = fromJwk(jwk as Record<string, unknown>, path);
      if (!loaded.key) return { issues: loaded.issues };
      key = loaded.key;
      secretParts = [input, ...privateMembers(jwk as Record<string, unknown>)];
    } else {
      const loaded = fromPem(text, path, material);
      if (!loaded.key) return { issues: loaded.issues };
      key = loaded.key;
      secretParts = [input];
    }
  } else {
    const loaded = fromJwk(input, path);
    if (!loaded.key) return { issues: loaded.issues };
    key = loaded.key;
    secretParts = privateMembers(input);
  }
  const fit = checkFit(key, alg);
  if (fit) return issue(fit);
  return { key: { key, secretParts }, issues: [] };
}

function fromPem(pem: string, path: string, material?: ParsedMaterial): { key?: KeyObject; issues: ConfigIssue[] } {
  const issue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ path, message }] });
  if (pem.includes('-----BEGIN CERTIFICATE-----') && !pem.includes('PRIVATE KEY-----')) {
    return issue('holds a certificate, not a private key: give the signing key itself (PKCS#8 PEM)');
  }
  if (pem.includes('-----BEGIN RSA PRIVATE KEY-----')) return issue(`is a PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"); a PKCS#8 PEM ("BEGIN PRIVATE KEY") is required: ${CONVERT_HINT}`);
  if (pem.includes('-----BEGIN EC PRIVATE KEY-----')) return issue(`is a SEC1 PEM ("BEGIN EC PRIVATE KEY"); a PKCS#8 PEM ("BEGIN PRIVATE KEY") is required: ${CONVERT_HINT}`);
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) return issue(`is an encrypted PKCS#8 PEM; give it unencrypted (keep it in a secret store, reference it with env: or file:): ${CONVERT_HINT}`);
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) return issue('is not a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"), a JWK, or an env:/file: reference');
  const key = (material ?? new ParsedMaterial()).privateKey(pem);
  return key ? { key, issues: [] } : issue('is a PKCS#8 PEM that does not parse as a private key');
}

function fromJwk(jwk: Record<string, unknown>, path: string): { key?: KeyObject; issues: ConfigIssue[] } {
  const issue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ path, message }] });
  if (typeof jwk['kty'] !== 'string') return issue('is a JWK without "kty"');
  if (jwk['kty'] === 'oct') return issue('is a symmetric JWK; a signing key must be an asymmetric private key');
  if (typeof jwk['d'] !== 'string') return issue('is a public JWK: the private member "d" is missing');
  try {
    return { key: createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }), issues: [] };
  } catch {
    return issue('is a JWK that does not parse as a private key');
  }
}

/** The EC curve each ECDSA algorithm signs on (node:crypto names). @see RFC 7518 §3.4 */
const ECDSA_CURVES: Readonly<Record<string, { node: string; jose: string }>> = {
  ES256: { node: 'prime256v1', jose: 'P-256' },
  ES384: { node: 'secp384r1', jose: 'P-384' },
  ES512: { node: 'secp521r1', jose: 'P-521' },
};

/** Why `key` cannot sign `alg`, or undefined when it can. */
export function checkFit(key: KeyObject, alg: AsymmetricAlg): string | undefined {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (alg.startsWith('PS') || alg.startsWith('RS')) {
    if (type !== 'rsa' && type !== 'rsa-pss') return `is a ${type ?? 'unknown'} key; alg ${alg} needs an RSA key`;
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) return `is a ${details.modulusLength ?? '?'}-bit RSA key; ${alg} requires at least ${MIN_RSA_BITS} bits (RFC 7518 §3.5, FAPI 2.0 §5.4.1)`;
    return undefined;
  }
  const curve = ECDSA_CURVES[alg];
  if (curve) {
    if (type !== 'ec') return `is a ${type ?? 'unknown'} key; alg ${alg} needs an EC ${curve.jose} key`;
    if (details.namedCurve !== curve.node) return `is an EC key on ${details.namedCurve ?? 'an unknown curve'}; alg ${alg} needs ${curve.jose}`;
    return undefined;
  }
  if (type !== 'ed25519') return `is a ${type ?? 'unknown'} key; alg EdDSA needs an Ed25519 key`;
  return undefined;
}

function privateMembers(jwk: Record<string, unknown>): string[] {
  return PRIVATE_JWK_MEMBERS.map((m) => jwk[m]).filter((v): v is string => typeof v === 'string');
}
