import type { SigningAlg } from '../config/algorithms.js';
import type { ClientAssertionClaims } from './ClientAssertionClaims.js';
import type { AssertionHeader, Signer } from './Signer.js';

export interface RawSignerOptions {
  readonly alg: SigningAlg;
  readonly kid?: string;
  /**
   * Signs the JWS signing input (ASCII `base64url(header).base64url(payload)`) and returns the raw
   * signature: RSASSA-PSS bytes for PS256, Ed25519 bytes for EdDSA; for ES256 either the JOSE
   * form (r || s, 64 bytes) or DER, as most KMS APIs return it (converted here).
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
  const { alg, kid, signBytes } = options;
  return {
    alg,
    ...(kid !== undefined ? { kid } : {}),
    async sign(claims: ClientAssertionClaims, header: AssertionHeader): Promise<string> {
      const input = `${b64url(Buffer.from(JSON.stringify(header)))}.${b64url(Buffer.from(JSON.stringify(claims)))}`;
      let signature = await signBytes(Buffer.from(input, 'ascii'));
      if (alg === 'ES256' && signature.length !== 64) signature = derToJose(signature, 32);
      return `${input}.${b64url(signature)}`;
    },
  };
}

/** ECDSA-Sig-Value (DER SEQUENCE of two INTEGERs) to the fixed-width r || s form JWS uses. */
export function derToJose(der: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(der);
  let offset = 0;
  if (bytes[offset++] !== 0x30) throw new Error('ES256 signature is neither 64 bytes nor DER');
  let length = bytes[offset++]!;
  if (length & 0x80) offset += length & 0x7f;
  const readInt = (): Buffer => {
    if (bytes[offset++] !== 0x02) throw new Error('ES256 DER signature is malformed');
    length = bytes[offset++]!;
    let value = bytes.subarray(offset, offset + length);
    offset += length;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error('ES256 DER signature is malformed');
    return Buffer.concat([Buffer.alloc(size - value.length), value]);
  };
  const r = readInt();
  const s = readInt();
  return Buffer.concat([r, s]);
}
