import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order. */
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a key's public part, computed synchronously so that the
 * default `kid` is known when the provider is created.
 * @see RFC 7638 §3
 */
export function jwkThumbprint(key: KeyObject): string {
  return jwkThumbprintOf(createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>);
}

/** The same thumbprint from a public JWK (a Signer's `publicJwk()`), e.g. to compare a DPoP key with a registered one. */
export function jwkThumbprintOf(jwk: Readonly<Record<string, unknown>>): string {
  const members = REQUIRED_MEMBERS[String(jwk['kty'])];
  if (!members) throw new Error(`no RFC 7638 thumbprint for key type ${String(jwk['kty'])}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
