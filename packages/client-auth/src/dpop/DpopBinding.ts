import { ResponseFormatError, TokenEndpointError, type FinauthError, type HttpResponse, type ResourceRequest, type ResourceResponse, type TokenRequest } from '@finauth/core';
import type { DpopProver } from './DpopProver.js';

/** `WWW-Authenticate: DPoP ..., error="use_dpop_nonce"` (RFC 9449 §9). */
const RESOURCE_NONCE_CHALLENGE = /(^|,)\s*DPoP\b[^]*\berror\s*=\s*"?use_dpop_nonce"?/i;

/**
 * What a strategy does for a DPoP-bound provider (RFC 9449), in one place for every strategy:
 * a proof on every token request, the server's nonces remembered and answered once, the bound
 * key checked against the token's `cnf.jkt`, a proof with `ath` on every resource call.
 */
export class DpopBinding {
  /** The last token response was a nonce challenge that carried a nonce: one more attempt is due. */
  #challenged = false;
  /** Fetches whose nonce challenge was answered. */
  readonly #answered = new WeakSet<object>();

  constructor(readonly prover: DpopProver) {}

  /** For the strategy's cache identity: a token bound to another key is another token. */
  get identity(): string {
    return this.prover.identity;
  }

  /** A generated key exists in this process only: its tokens must not go to a shared cache. */
  get processLocalTokens(): boolean {
    return this.prover.generated;
  }

  /** In prepareTokenRequest, once `request.url` is known: a fresh proof (new jti) per attempt. */
  async addProof(request: TokenRequest): Promise<void> {
    const proof = await this.prover.proof('POST', request.url);
    request.headers['dpop'] = proof;
    (request.credentials ??= []).push(proof);
  }

  /**
   * In inspectTokenResponse: remembers a nonce the server sent, and refuses a token bound to a
   * key that is not ours (`cnf.jkt` of the response or of a JWT access token, RFC 9449 §6).
   */
  inspect(response: HttpResponse, request: TokenRequest, providerId: string): void {
    const nonce = response.headers['dpop-nonce'];
    this.prover.observe(request.url, nonce);
    // RFC 9449 §8: 400 with error "use_dpop_nonce" and the nonce to use in DPoP-Nonce.
    this.#challenged = response.status === 400 && nonce !== undefined && /"error"\s*:\s*"use_dpop_nonce"/.test(response.body);
    if (response.status < 200 || response.status >= 300) return;
    const bound = boundThumbprints(response.body);
    // Known by now: the request carried a proof, which needed the public key.
    const ours = this.prover.knownJkt;
    if (bound.length === 0 || ours === undefined) return;
    if (bound.some((jkt) => jkt !== ours)) {
      throw new ResponseFormatError("the token is bound (cnf.jkt) to a DPoP key that is not this provider's", { status: response.status, interactionId: response.headers['x-fapi-interaction-id'] }, { providerId });
    }
  }

  /**
   * In recover: a `use_dpop_nonce` rejection is answered with the nonce the server just sent, once
   * per fetch (`context.fetch`): a second challenge in the same fetch is the typed error, not a loop
   * (RFC 9449 §8).
   */
  answersNonceChallenge(error: FinauthError, fetch: object): boolean {
    const due = this.#challenged && !this.#answered.has(fetch) && TokenEndpointError.is(error) && error.error === 'use_dpop_nonce';
    this.#challenged = false;
    if (due) this.#answered.add(fetch);
    return due;
  }

  /** `http()`: a proof for this request, hashing the token (`ath`). Bearer tokens get none. */
  async resourceRequestHeaders(request: ResourceRequest): Promise<Record<string, string>> {
    if (request.token.tokenType !== 'DPoP') return {};
    return { dpop: await this.prover.proof(request.method, request.url, request.token.accessToken) };
  }

  /** `http()`: remembers the resource's nonce; true when the resource asked for a proof with it. */
  resourceResponse(response: ResourceResponse): boolean {
    const nonce = response.headers['dpop-nonce'];
    this.prover.observe(response.url, nonce);
    return response.status === 401 && nonce !== undefined && RESOURCE_NONCE_CHALLENGE.test(response.headers['www-authenticate'] ?? '');
  }
}

/** Every `cnf.jkt` a token response states: in its body, and in its access token when that is a JWT. */
function boundThumbprints(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return []; // core's parser reports what is wrong with the body
  }
  const out: string[] = [];
  const record = parsed as { cnf?: { jkt?: unknown }; access_token?: unknown } | null;
  if (typeof record?.cnf?.jkt === 'string') out.push(record.cnf.jkt);
  const token = record?.access_token;
  if (typeof token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    try {
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { cnf?: { jkt?: unknown } };
      if (typeof claims?.cnf?.jkt === 'string') out.push(claims.cnf.jkt);
    } catch {
      // An opaque token that merely looks like a JWT: nothing to compare.
    }
  }
  return out;
}
