import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKey {
  readonly privatePem: string;
  readonly publicKey: KeyObject;
}

/** A PKCS#8 PEM and its public key: what a bank's signing key looks like. */
export function rsaKey(bits = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey };
}

export function ecKey(curve = 'P-256'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey };
}

export function ed25519Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey };
}

/** The same RSA key as PKCS#1 ("BEGIN RSA PRIVATE KEY"): what `openssl genrsa` used to write. */
export function pkcs1Pem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
}

let cached: { cert: string; key: string } | undefined;

/** A self-signed client certificate valid for a year (core requires one for fapi2 providers). */
export function transportCertificate(): { cert: string; key: string } {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'fapi2-test-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=fapi2-unit-test', '-days', '365', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cached = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
