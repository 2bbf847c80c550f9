import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface TestKey {
  readonly privatePem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

function pair(generated: { privateKey: KeyObject; publicKey: KeyObject }): TestKey {
  return { privatePem: generated.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, ...generated };
}

/** A PKCS#8 PEM and its key objects: what a bank's signing key looks like. */
export const rsaKey = (bits = 2048): TestKey => pair(generateKeyPairSync('rsa', { modulusLength: bits }));
export const ecKey = (curve = 'P-256'): TestKey => pair(generateKeyPairSync('ec', { namedCurve: curve }));
export const ed25519Key = (): TestKey => pair(generateKeyPairSync('ed25519'));
