import { createHash, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { jwkThumbprintOf } from '../signing/jwkThumbprint.js';
import type { Signer } from '../signing/Signer.js';

/**
 * Builds DPoP proofs (RFC 9449 §4) with one key for the provider's life, and remembers the
 * server-provided nonce of each origin (RFC 9449 §8, §9), refreshed from every response.
 */
export class DpopProver {
  readonly #nonces = new Map<string, string>();
  #jwk: Promise<JWK> | undefined;
  /** The key's RFC 7638 thumbprint once the public key is known: what a bound token's `cnf.jkt` must equal. */
  knownJkt: string | undefined;
  /** Part of the provider's cache identity: the key's thumbprint when known at creation, else the signer's kid. */
  readonly identity: string;

  /**
   * @param jwk the public key when known at creation (an in-process key); else the signer's `publicJwk()` is asked once
   * @param generated the key was generated in this process (no other process can use its tokens)
   */
  constructor(
    private readonly signer: Signer,
    jwk: JWK | undefined,
    readonly generated: boolean,
    private readonly nowSeconds: () => number,
  ) {
    if (jwk) {
      this.#jwk = Promise.resolve(jwk);
      this.knownJkt = jwkThumbprintOf(jwk as Record<string, unknown>);
    }
    this.identity = this.knownJkt ? `dpop:${this.knownJkt}` : `dpop-signer:${signer.kid ?? signer.alg}`;
  }

  /** The public key every proof carries. */
  publicJwk(): Promise<JWK> {
    if (!this.#jwk) {
      if (!this.signer.publicJwk) return Promise.reject(new Error('the DPoP signer has no publicJwk()'));
      this.#jwk = this.signer.publicJwk().then((jwk) => {
        this.knownJkt = jwkThumbprintOf(jwk as Record<string, unknown>);
        return jwk;
      });
    }
    return this.#jwk;
  }

  /** A proof for one request. `htu` is the URL without query and fragment (RFC 9449 §4.2). */
  async proof(method: string, url: string, accessToken?: string): Promise<string> {
    const target = new URL(url);
    const nonce = this.#nonces.get(target.origin);
    const payload: Record<string, unknown> = { jti: randomUUID(), htm: method.toUpperCase(), htu: `${target.origin}${target.pathname}`, iat: this.nowSeconds() };
    if (nonce !== undefined) payload['nonce'] = nonce;
    // RFC 9449 §4.2: at a resource, `ath` is the base64url SHA-256 of the access token's ASCII.
    if (accessToken !== undefined) payload['ath'] = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
    return this.signer.sign(payload, { typ: 'dpop+jwt', jwk: await this.publicJwk() });
  }

  /** Remembers a `DPoP-Nonce` a server sent (any response: success, error, challenge). */
  observe(url: string, nonce: string | undefined): void {
    // A nonce is an opaque token of printable ASCII (RFC 9449 §8.1: NQCHAR); anything else is ignored.
    if (nonce !== undefined && /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/.test(nonce)) this.#nonces.set(new URL(url).origin, nonce);
  }

  hasNonceFor(url: string): boolean {
    return this.#nonces.has(new URL(url).origin);
  }
}

/** A fresh P-256 key, in memory only, for `dpop: true`. */
export function generateDpopKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** The public JWK of a private key, computed synchronously (the members RFC 7517 defines, nothing private). */
export function publicJwkOf(key: KeyObject): JWK {
  const full = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  const members = full['kty'] === 'RSA' ? ['kty', 'n', 'e'] : full['kty'] === 'EC' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'crv', 'x'];
  return Object.fromEntries(members.map((m) => [m, full[m]])) as JWK;
}
