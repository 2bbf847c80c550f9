import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { AsymmetricAlg } from './algorithms.js';
import { SigningKey } from './SigningKey.js';
import { headerFor, type Signer } from './Signer.js';

/** JWK members of a public key, per key type (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2). */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'] };

/**
 * The built-in Signer: jose, with the private key imported once into a CryptoKey (SigningKey). The
 * key was checked against `alg` at creation (loadSigningKey), so signing cannot fail for a
 * key/algorithm mismatch later.
 */
export class JoseSigner implements Signer {
  readonly kid?: string;
  #publicJwk: JWK | undefined;
  readonly #signing: SigningKey;
  /** A private field, so that logging or serialising the signer never shows the key. */
  readonly #key: KeyObject;

  constructor(
    key: KeyObject,
    readonly alg: AsymmetricAlg,
    kid?: string,
  ) {
    this.#key = key;
    if (kid !== undefined) this.kid = kid;
    this.#signing = SigningKey.asymmetric(key, alg);
  }

  sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string> {
    return this.#signing.sign(payload, headerFor(this, header) as { alg: string });
  }

  /** The public half only: the members RFC 7517 defines for the key type, nothing private. */
  publicJwk(): Promise<JWK> {
    if (!this.#publicJwk) {
      const full = createPublicKey(this.#key).export({ format: 'jwk' }) as Record<string, unknown>;
      const members = PUBLIC_MEMBERS[String(full['kty'])] ?? [];
      this.#publicJwk = Object.freeze(Object.fromEntries(members.map((m) => [m, full[m]]))) as JWK;
    }
    return Promise.resolve({ ...this.#publicJwk });
  }

  /** Never print the key. */
  toJSON(): Record<string, unknown> {
    return { alg: this.alg, kid: this.kid };
  }
}
