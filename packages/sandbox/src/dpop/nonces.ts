import { randomBytes } from 'node:crypto';

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9): a new one is issued on demand; the last few stay
 * valid so that requests already in flight with the previous nonce are not refused.
 */
export class NonceStore {
  #valid: string[] = [];

  constructor(private readonly keep = 4) {}

  issue(): string {
    const nonce = randomBytes(18).toString('base64url');
    this.#valid.push(nonce);
    if (this.#valid.length > this.keep) this.#valid.shift();
    return nonce;
  }

  /** The newest nonce (issuing one when none exists): what a server sends in `DPoP-Nonce`. */
  current(): string {
    return this.#valid.at(-1) ?? this.issue();
  }

  isValid(nonce: unknown): boolean {
    return typeof nonce === 'string' && this.#valid.includes(nonce);
  }
}
