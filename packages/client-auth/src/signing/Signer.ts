import type { JWK } from 'jose';
import type { JwsAlg } from './algorithms.js';

/**
 * Signs JWTs for finauth: client assertions (private_key_jwt), DPoP proofs (RFC 9449), anything
 * else a strategy needs. The built-in one (JoseSigner) holds a private key in memory; give a
 * provider your own (`clientAuth.signer`) when a KMS or HSM keeps the key and only signs
 * (`rawSigner()` builds one from a "sign these bytes" function).
 *
 * Called anew for every assertion and proof, retries included: a signer that resolves its key per
 * call rotates keys without a restart.
 * @see RFC 7515 §3.1 (compact serialization)
 */
export interface Signer {
  /** The JWS algorithm this signer produces; it is written into every header it signs. */
  readonly alg: JwsAlg;
  /** The key id the bank registered, when the signer knows one. */
  readonly kid?: string;
  /**
   * The compact JWS (`header.payload.signature`) of `payload` under `header`. The signer sets
   * `header.alg` to its own `alg` (a caller cannot make it sign under another algorithm); every
   * other header member is signed as given (`kid`, `typ`, `jwk`, `x5t#S256`, ...).
   */
  sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string>;
  /**
   * The public key as a JWK (no private members): what a DPoP proof carries in its header, and
   * what doctor compares thumbprints with. Optional for signers that cannot export it.
   */
  publicJwk?(): Promise<JWK>;
}

/**
 * The protected header `signer` would sign: `alg` is always the signer's.
 *
 * Copied member by member, not as `{ ...header, alg }`: in Node 20's V8 an object spread followed
 * by a member the source lacks gets a new hidden class on every call once optimised (~0.8 µs and a
 * map allocated per signature, and every property access downstream, jose's included, goes
 * megamorphic); docs/performance.md, "Object spread".
 */
export function headerFor(signer: Pick<Signer, 'alg'>, header: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(header)) out[name] = header[name];
  out['alg'] = signer.alg;
  return out;
}
