import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { NonceStore } from './nonces.js';

/** Algorithms a DPoP proof may use here (RFC 9449 §5: the server advertises them). */
export const DPOP_ALGS = ['ES256', 'PS256', 'EdDSA'];
/** How far `iat` may be from the server's clock without a nonce (RFC 9449 §11.1). */
const IAT_WINDOW_SECONDS = 60;

export class DpopProofError extends Error {
  constructor(
    readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce',
    message: string,
  ) {
    super(message);
  }
}

export interface ProofExpectations {
  readonly method: string;
  /** The request URL; compared without query and fragment (RFC 9449 §4.3 check 9). */
  readonly url: string;
  /** At a resource: the access token the proof must hash into `ath` (RFC 9449 §4.3 check 11). */
  readonly accessToken?: string;
  /** When given, the proof must carry one of its nonces. */
  readonly nonces?: NonceStore;
  /** `jti` values seen, for replay detection (RFC 9449 §11.1). */
  readonly seen: Set<string>;
}

/**
 * Checks a DPoP proof as RFC 9449 §4.3 lists, with an independent implementation (jose), and
 * returns the RFC 7638 thumbprint of the key it carries.
 */
export async function verifyDpopProof(proof: string | string[] | undefined, expect: ProofExpectations): Promise<{ jkt: string; jwk: JWK }> {
  if (typeof proof !== 'string' || proof.length === 0) throw new DpopProofError('invalid_dpop_proof', 'a DPoP proof is required');
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS });
    payload = verified.payload as Record<string, unknown>;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (error) {
    throw new DpopProofError('invalid_dpop_proof', `DPoP proof signature or header invalid: ${(error as Error).message}`);
  }
  if ('d' in jwk) throw new DpopProofError('invalid_dpop_proof', 'the jwk header carries a private key');
  if (typeof payload['jti'] !== 'string' || payload['jti'].length === 0) throw new DpopProofError('invalid_dpop_proof', 'jti is required');
  if (payload['htm'] !== expect.method) throw new DpopProofError('invalid_dpop_proof', 'htm mismatch');
  const target = new URL(expect.url);
  const htu = typeof payload['htu'] === 'string' ? URL.parse(payload['htu']) : null;
  if (!htu || `${htu.origin}${htu.pathname}` !== `${target.origin}${target.pathname}` || htu.search !== '' || htu.hash !== '') {
    throw new DpopProofError('invalid_dpop_proof', 'htu mismatch');
  }
  if (expect.nonces) {
    if (!expect.nonces.isValid(payload['nonce'])) throw new DpopProofError('use_dpop_nonce', 'a current DPoP nonce is required');
  } else if (typeof payload['iat'] !== 'number' || Math.abs(Date.now() / 1000 - payload['iat']) > IAT_WINDOW_SECONDS) {
    throw new DpopProofError('invalid_dpop_proof', 'iat is not recent enough');
  }
  if (expect.accessToken !== undefined) {
    const ath = createHash('sha256').update(expect.accessToken, 'ascii').digest('base64url');
    if (payload['ath'] !== ath) throw new DpopProofError('invalid_dpop_proof', 'ath does not match the access token');
  }
  if (expect.seen.has(payload['jti'])) throw new DpopProofError('invalid_dpop_proof', 'DPoP proof replayed (jti seen before)');
  expect.seen.add(payload['jti']);
  return { jkt: await calculateJwkThumbprint(jwk, 'sha256'), jwk };
}

/** `Authorization: DPoP <token>` (RFC 9449 §7.1), scheme case-insensitive. */
export function dpopToken(authorization: string | undefined): string | undefined {
  const match = /^(\S+) (\S+)$/.exec(authorization ?? '');
  return match && match[1]!.toLowerCase() === 'dpop' ? match[2] : undefined;
}
