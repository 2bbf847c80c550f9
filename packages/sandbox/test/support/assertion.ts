import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT } from 'jose';
import type { SigningKeyFiles } from '../../src/index.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface AssertionClaims {
  clientId: string;
  audience: string | string[];
  jti?: string;
  /** Overrides the key's own kid in the header. */
  kid?: string;
}

/** A private_key_jwt client assertion (RFC 7523 §3) signed with a sandbox key file. */
export async function signAssertion(key: SigningKeyFiles, claims: AssertionClaims): Promise<string> {
  const privateKey = await importPKCS8(readFileSync(key.key, 'utf8'), key.alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: claims.kid ?? key.kid })
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .setJti(claims.jti ?? randomUUID())
    .sign(privateKey);
}

/** The form of a private_key_jwt client credentials request. */
export function assertionForm(assertion: string, scope = 'accounts'): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
  };
}
