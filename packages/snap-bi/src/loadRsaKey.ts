import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { ConfigIssue, ParsedMaterial } from '@finauth/core';

/** Below this an RSA signature is not considered secure (NIST SP 800-131A); SNAP keys are 2048-bit. */
export const MIN_RSA_BITS = 2048;

export interface LoadedRsaKey {
  readonly key: KeyObject;
  /** The PEM and each of its base64 lines: for the redactor, never for a message. */
  readonly secretParts: readonly string[];
}

/**
 * Parses `privateKey` once, at creation: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
 * (`BEGIN RSA PRIVATE KEY`, what `openssl genrsa -traditional` writes and many SNAP onboarding
 * guides produce), optionally encrypted with `passphrase`. Issues name the field, never the value.
 */
export function loadRsaKey(pem: string, passphrase: string | undefined, material: ParsedMaterial | undefined, path = 'privateKey'): { key?: LoadedRsaKey; issues: ConfigIssue[] } {
  const issue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ path, message }] });
  const text = pem.trim();
  if (/-----BEGIN CERTIFICATE-----/.test(text) && !/PRIVATE KEY-----/.test(text)) return issue('holds a certificate, not a private key');
  if (/-----BEGIN PUBLIC KEY-----/.test(text)) return issue('holds a public key: give the private key (the bank keeps the public one)');
  if (!/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(text)) return issue('is not a PEM RSA private key ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY") nor an env:/file: reference');
  const key = material ? material.privateKey(text, passphrase) : tryParse(text, passphrase);
  if (!key) return issue(passphrase ? 'does not parse as a private key with the given passphrase' : 'does not parse as a private key (encrypted? give privateKeyPassphrase)');
  if (key.asymmetricKeyType !== 'rsa') return issue(`is a ${key.asymmetricKeyType ?? 'unknown'} key; SNAP BI signs with SHA256withRSA, which needs an RSA key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return issue(`is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
  return { key: { key, secretParts: [pem, text, ...pemBodyLines(text)] }, issues: [] };
}

function tryParse(pem: string, passphrase: string | undefined): KeyObject | undefined {
  try {
    return createPrivateKey(passphrase ? { key: pem, passphrase } : pem);
  } catch {
    return undefined;
  }
}

/** A fragment of a key is as bad to leak as the whole. */
function pemBodyLines(pem: string): string[] {
  return pem.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 16 && !l.startsWith('-----'));
}
