import { SignJWT } from 'jose';
import type { HmacAlg } from './algorithms.js';
import { headerFor, type Signer } from './Signer.js';

const utf8 = new TextEncoder();

/**
 * client_secret_jwt's signer: HMAC keyed with the client secret's UTF-8 octets. The secret stays
 * off enumeration so that logging the signer shows nothing.
 * @see OIDC Core §9 (client_secret_jwt), RFC 7518 §3.2
 */
export class HmacSigner implements Signer {
  readonly #key: Uint8Array;

  constructor(
    secret: string,
    readonly alg: HmacAlg = 'HS256',
  ) {
    this.#key = utf8.encode(secret);
  }

  sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string> {
    return new SignJWT({ ...payload }).setProtectedHeader(headerFor(this, header) as { alg: string }).sign(this.#key);
  }

  toJSON(): Record<string, unknown> {
    return { alg: this.alg };
  }
}
