import { generateKeyPair } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface SnapKeyFiles {
  /** The partner's private key, PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), as SNAP onboarding guides make it with `openssl genrsa -traditional`. */
  privateKey: string;
  /** The same key as PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  privateKeyPkcs8: string;
  /** The public key the bank registered (SPKI PEM). */
  publicKeyPem: string;
  /** Another RSA key the bank does not know: signatures made with it fail verification. */
  wrongPrivateKey: string;
}

/** Two RSA-2048 key pairs: the registered partner key (written both as PKCS#1 and PKCS#8) and a stranger. */
export async function generateSnapKeys(dir: string): Promise<SnapKeyFiles> {
  const [partner, stranger] = await Promise.all([generate('rsa', { modulusLength: 2048 }), generate('rsa', { modulusLength: 2048 })]);
  const write = async (name: string, content: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };
  return {
    privateKey: await write('snap-partner.pkcs1.pem', partner.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()),
    privateKeyPkcs8: await write('snap-partner.pkcs8.pem', partner.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
    publicKeyPem: partner.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    wrongPrivateKey: await write('snap-stranger.pkcs8.pem', stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
  };
}
