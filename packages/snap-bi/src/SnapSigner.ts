import { sign, type KeyObject } from 'node:crypto';

/**
 * Signs the bytes of the string to sign and returns the raw signature (RSASSA-PKCS1-v1_5 with
 * SHA-256, i.e. Java's SHA256withRSA): the shape an HSM (PKCS#11 `CKM_SHA256_RSA_PKCS`) or a KMS
 * (`RSASSA_PKCS1_V1_5_SHA_256`) gives. finauth base64-encodes the result for `X-SIGNATURE`.
 */
export type SnapSigner = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * A signer over a key parsed once, at creation. Runs on libuv's thread pool (the callback form of
 * `crypto.sign`), so a burst of signatures does not stall the event loop.
 */
export function localRsaSigner(key: KeyObject): SnapSigner {
  return (data) =>
    new Promise<Uint8Array>((resolve, reject) => {
      // `null` digest name is not allowed for RSA: 'sha256' with an RSA key is PKCS#1 v1.5 by default.
      sign('sha256', data, key, (error, signature) => (error ? reject(error) : resolve(signature)));
    });
}
