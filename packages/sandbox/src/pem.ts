import { webcrypto } from 'node:crypto';
import { x509, type CryptoKey } from './x509.js';

/** PKCS#8 PEM ("BEGIN PRIVATE KEY") of a WebCrypto key. */
export async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}
