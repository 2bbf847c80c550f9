import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export type SigningAlg = 'PS256' | 'ES256';

export interface GeneratedSigningKey {
  alg: SigningAlg;
  kid: string;
  /** PKCS#8 PEM. */
  privatePem: string;
  /** Public JWK with kid, alg and use, as registered in a client's `jwks`. */
  publicJwk: Record<string, unknown>;
  /** Private JWK with kid, alg and use, for a server's own keystore. */
  privateJwk: Record<string, unknown>;
}

/** A PS256 (RSA 2048) or ES256 (P-256) key pair for signing JWTs. */
export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedSigningKey> {
  const { privateKey, publicKey } =
    alg === 'PS256'
      ? await generate('rsa', { modulusLength: 2048 })
      : await generate('ec', { namedCurve: 'P-256' });
  return describe(alg, privateKey, publicKey);
}

function describe(alg: SigningAlg, privateKey: KeyObject, publicKey: KeyObject): GeneratedSigningKey {
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = jwkThumbprint(pub);
  const meta = { kid, alg, use: 'sig' };
  return {
    alg,
    kid,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...pub, ...meta },
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), ...meta },
  };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) — a stable, collision-free kid. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members = jwk['kty'] === 'RSA' ? ['e', 'kty', 'n'] : ['crv', 'kty', 'x', 'y'];
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}
