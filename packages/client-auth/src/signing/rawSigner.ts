import type { JWK } from 'jose';
import type { AsymmetricAlg } from './algorithms.js';
import { headerFor, type Signer } from './Signer.js';

/** ECDSA coordinate size per algorithm: the width of r and of s in the JOSE form. @see RFC 7518 §3.4 */
const ECDSA_SIZE: Partial<Record<AsymmetricAlg, number>> = { ES256: 32, ES384: 48, ES512: 66 };

export interface RawSignerOptions {
  readonly alg: AsymmetricAlg;
  readonly kid?: string;
  /** The public key, when known: DPoP proofs carry it and doctor compares its thumbprint. */
  readonly publicJwk?: JWK | (() => Promise<JWK>);
  /**
   * Signs the JWS signing input (ASCII `base64url(header).base64url(payload)`) and returns the raw
   * signature: RSASSA-PSS bytes for PS256 (salt length 32), Ed25519 bytes for EdDSA; for ES256 (and
   * ES384/ES512) either the JOSE form (r || s) or DER, as most KMS APIs return it (converted here).
   */
  readonly signBytes: (signingInput: Uint8Array) => Promise<Uint8Array>;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/**
 * A Signer around a "sign these bytes" function: the shape of KMS and HSM APIs, where the private
 * key never leaves the device.
 * @see RFC 7515 §5.1 (JWS compact serialization), RFC 7518 §3.4 (ECDSA signature form)
 */
export function rawSigner(options: RawSignerOptions): Signer {
  const { alg, kid, signBytes, publicJwk } = options;
  const size = ECDSA_SIZE[alg];
  const signer: Signer = {
    alg,
    ...(kid !== undefined ? { kid } : {}),
    async sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string> {
      const input = `${b64url(Buffer.from(JSON.stringify(headerFor(signer, header))))}.${b64url(Buffer.from(JSON.stringify(payload)))}`;
      let signature = await signBytes(Buffer.from(input, 'ascii'));
      if (size !== undefined && signature.length !== 2 * size) signature = derToJose(signature, size);
      return `${input}.${b64url(signature)}`;
    },
  };
  if (publicJwk !== undefined) {
    signer.publicJwk = typeof publicJwk === 'function' ? publicJwk : () => Promise.resolve({ ...publicJwk });
  }
  return signer;
}

/** ECDSA-Sig-Value (DER SEQUENCE of two INTEGERs) to the fixed-width r || s form JWS uses. */
export function derToJose(der: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(der);
  let offset = 0;
  if (bytes[offset++] !== 0x30) throw new Error('ECDSA signature is neither the JOSE form nor DER');
  let length = bytes[offset++]!;
  if (length & 0x80) offset += length & 0x7f;
  const readInt = (): Buffer => {
    if (bytes[offset++] !== 0x02) throw new Error('ECDSA DER signature is malformed');
    length = bytes[offset++]!;
    let value = bytes.subarray(offset, offset + length);
    offset += length;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error('ECDSA DER signature is malformed');
    return Buffer.concat([Buffer.alloc(size - value.length), value]);
  };
  const r = readInt();
  const s = readInt();
  return Buffer.concat([r, s]);
}
