import type { SigningAlg } from '../config/algorithms.js';
import type { ClientAssertionClaims } from './ClientAssertionClaims.js';

/** The JWS protected header of a client assertion. */
export interface AssertionHeader {
  readonly alg: SigningAlg;
  readonly kid?: string;
}

/**
 * Signs client assertions. The built-in one (JoseSigner) holds a private key in memory; give a
 * provider your own (`clientAuth.signer`) when a KMS or HSM keeps the key and only signs
 * (`rawSigner()` builds one from a "sign these bytes" function).
 */
export interface Signer {
  /** The JWS algorithm this signer produces. */
  readonly alg: SigningAlg;
  /** The key id the bank registered; sent as the header's `kid`. */
  readonly kid?: string;
  /** Returns the compact JWS (`header.payload.signature`) of `claims` with `header`. */
  sign(claims: ClientAssertionClaims, header: AssertionHeader): Promise<string>;
}
