import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../jsonResponse.js';
import type { NonceStore } from './nonces.js';
import { DPOP_ALGS, DpopProofError, dpopToken, verifyDpopProof } from './verifyProof.js';

export interface DpopResourceOptions {
  /** The resource's own URL (what `htu` must name). */
  readonly url: string;
  /** Looks up a token this server issued: its bound key thumbprint, if it is DPoP-bound. */
  readonly findToken: (token: string) => Promise<{ jkt?: string; clientId: string } | undefined>;
  /** When set, proofs must carry one of these nonces (401 `use_dpop_nonce` otherwise). */
  readonly nonces?: () => NonceStore | undefined;
  readonly seen: Set<string>;
  readonly stats: { resourceRequests: number; nonceChallenges: number };
}

/**
 * A protected resource that accepts only DPoP-bound tokens with a valid proof for this very
 * request (RFC 9449 §7): `Authorization: DPoP <token>`, `DPoP: <proof>` with `ath`, the token's
 * `cnf.jkt` equal to the proof key's thumbprint.
 */
export async function serveDpopResource(req: IncomingMessage, res: ServerResponse, options: DpopResourceOptions): Promise<void> {
  options.stats.resourceRequests += 1;
  const nonces = options.nonces?.();
  const challenge = (status: number, error: string, description: string, extra: Record<string, string> = {}): void =>
    sendJson(res, status, { error, error_description: description }, {
      'www-authenticate': `DPoP error="${error}", error_description="${description}", algs="${DPOP_ALGS.join(' ')}"`,
      ...extra,
    });
  const token = dpopToken(req.headers.authorization);
  if (!token) {
    challenge(401, 'invalid_token', 'a DPoP-bound access token is required (Authorization: DPoP)');
    return;
  }
  try {
    const { jkt } = await verifyDpopProof(req.headers['dpop'], { method: req.method ?? '', url: options.url, accessToken: token, seen: options.seen, ...(nonces ? { nonces } : {}) });
    const found = await options.findToken(token);
    if (!found) {
      challenge(401, 'invalid_token', 'unknown or expired access token');
      return;
    }
    if (found.jkt !== jkt) {
      challenge(401, 'invalid_token', 'the access token is not bound to the key of this DPoP proof');
      return;
    }
    sendJson(res, 200, { ok: true, client_id: found.clientId }, nonces ? { 'dpop-nonce': nonces.current() } : {});
  } catch (error) {
    if (!(error instanceof DpopProofError)) throw error;
    if (error.error === 'use_dpop_nonce') {
      options.stats.nonceChallenges += 1;
      challenge(401, 'use_dpop_nonce', error.message, { 'dpop-nonce': nonces!.issue() });
      return;
    }
    challenge(401, 'invalid_dpop_proof', error.message);
  }
}
