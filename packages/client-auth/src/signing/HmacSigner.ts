import type { HmacAlg } from './algorithms.js';
import { SigningKey } from './SigningKey.js';
import { headerFor, type Signer } from './Signer.js';

const utf8 = new TextEncoder();

/**
 * client_secret_jwt's signer: HMAC keyed with the client secret's UTF-8 octets. The secret stays
 * off enumeration so that logging the signer shows nothing.
 * @see OIDC Core §9 (client_secret_jwt), RFC 7518 §3.2
 */
export class HmacSigner implements Signer {
  /** Imported once into an HMAC CryptoKey: jose given the bytes would import them per signature. */
  readonly #key: SigningKey;

  constructor(
    secret: string,
    readonly alg: HmacAlg = 'HS256',
  ) {
    this.#key = SigningKey.hmac(utf8.encode(secret), alg);
  }

  sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string> {
    return this.#key.sign(payload, headerFor(this, header) as { alg: string });
  }

  toJSON(): Record<string, unknown> {
    return { alg: this.alg };
  }
}
