import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningAlg } from '../config/algorithms.js';
import type { ClientAssertionClaims } from './ClientAssertionClaims.js';
import type { AssertionHeader, Signer } from './Signer.js';

/**
 * The built-in Signer: jose over a node:crypto KeyObject. The key was checked against `alg` at
 * creation (loadSigningKey), so signing cannot fail for a key/algorithm mismatch later.
 */
export class JoseSigner implements Signer {
  readonly kid?: string;

  constructor(
    private readonly key: KeyObject,
    readonly alg: SigningAlg,
    kid?: string,
  ) {
    if (kid !== undefined) this.kid = kid;
  }

  sign(claims: ClientAssertionClaims, header: AssertionHeader): Promise<string> {
    return new SignJWT({ ...claims }).setProtectedHeader({ ...header }).sign(this.key);
  }

  /** Never print the key. */
  toJSON(): Record<string, unknown> {
    return { alg: this.alg, kid: this.kid };
  }
}
