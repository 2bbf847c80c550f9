import { webcrypto, type KeyObject } from 'node:crypto';
import { CompactSign, importJWK } from 'jose';
import type { AsymmetricAlg, HmacAlg } from './algorithms.js';

type CryptoKey = webcrypto.CryptoKey;
const utf8 = new TextEncoder();

/**
 * A signing key in the form jose signs with fastest: a WebCrypto CryptoKey, imported on first use
 * and then kept (concurrent first signatures share the one import; a failed import is tried again
 * by the next one). Measured by `bench/jose-signing-key.mjs` (docs/performance.md): given a
 * KeyObject, jose looks up the CryptoKey it derived from it on every signature; given a secret's
 * bytes (HMAC), it imports them on every signature.
 */
export class SigningKey {
  #imported: Promise<CryptoKey> | undefined;
  /** The imported key once it is there: signing then starts without waiting a turn for the import. */
  #key: CryptoKey | undefined;

  /** `importKey` is called once (again only after it failed); the factories below give it. */
  constructor(private readonly importKey: () => Promise<CryptoKey>) {
    // Kept off enumeration so that logging or serialising a holder never shows what it imports.
    Object.defineProperty(this, 'importKey', { enumerable: false });
  }

  /** A private key already checked against `alg` (loadSigningKey): non-extractable once imported. */
  static asymmetric(key: KeyObject, alg: AsymmetricAlg): SigningKey {
    return new SigningKey(async () => (await importJWK(key.export({ format: 'jwk' }), alg)) as CryptoKey);
  }

  /** An HMAC key from a secret's octets (client_secret_jwt). @see RFC 7518 §3.2 */
  static hmac(secret: Uint8Array, alg: HmacAlg): SigningKey {
    return new SigningKey(() => webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['sign']));
  }

  /** The compact JWS of `payload` (serialised as JSON) under `header`, which names the alg. @see RFC 7515 §7.1 */
  sign(payload: Record<string, unknown>, header: { readonly alg: string } & Record<string, unknown>): Promise<string> {
    // Not an async function: returning jose's promise from one would add two promise jobs per signature.
    const key = this.#key;
    if (key !== undefined) return signWith(key, payload, header);
    return this.cryptoKey().then((imported) => signWith(imported, payload, header));
  }

  private cryptoKey(): Promise<CryptoKey> {
    if (!this.#imported) {
      const importing = this.importKey();
      this.#imported = importing;
      importing.then(
        (key) => {
          if (this.#imported === importing) this.#key = key;
        },
        () => {
          if (this.#imported === importing) this.#imported = undefined;
        },
      );
    }
    return this.#imported;
  }

  toJSON(): Record<string, never> {
    return {};
  }
}

function signWith(key: CryptoKey, payload: Record<string, unknown>, header: { readonly alg: string } & Record<string, unknown>): Promise<string> {
  return new CompactSign(utf8.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
}
