import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, daysFromNow, issueLeaf, type IssuedCertificate } from './certificate.js';
import { generateSigningKey, type GeneratedSigningKey } from './signingKey.js';
import type { ClientCertName, Pki, SigningKeyFiles, SigningKeyName } from './types.js';

/** Subject of the `transport` certificate; the tls_client_auth client is registered with it. */
export const TRANSPORT_SUBJECT = 'CN=finauth-sandbox-transport, O=finauth sandbox';
/** The same DN in the RFC 4514 form registered as `tls_client_auth_subject_dn`. */
export const TRANSPORT_SUBJECT_DN = 'CN=finauth-sandbox-transport,O=finauth sandbox';

const CLIENT_SUBJECTS: Record<ClientCertName, string> = {
  transport: TRANSPORT_SUBJECT,
  unregistered: 'CN=finauth-sandbox-unregistered, O=finauth sandbox',
  expired: 'CN=finauth-sandbox-expired, O=finauth sandbox',
  expiringSoon: 'CN=finauth-sandbox-expiring-soon, O=finauth sandbox',
  foreign: 'CN=finauth-sandbox-foreign, O=somebody else',
};

/**
 * Generates a throwaway PKI into `dir` (which must exist): a CA, a server certificate for
 * localhost / 127.0.0.1 / ::1, five client certificates and three JWT signing keys.
 * Every private key is a PKCS#8 PEM file. Takes a few hundred milliseconds (RSA keys).
 */
export async function generatePki(dir: string): Promise<Pki> {
  // RSA generation runs on the libuv pool, in parallel with the EC certificate work.
  const signingKeys = Promise.all([
    generateSigningKey('PS256'),
    generateSigningKey('ES256'),
    generateSigningKey('PS256'),
    generateSigningKey('PS256'),
  ]);

  const [ca, foreignCa] = await Promise.all([
    createCa('CN=finauth sandbox CA, O=finauth sandbox', daysFromNow(-7, 365)),
    createCa('CN=foreign CA, O=somebody else', daysFromNow(-7, 365)),
  ]);
  const [server, transport, unregistered, expired, expiringSoon, foreign] = await Promise.all([
    issueLeaf(ca, 'CN=127.0.0.1, O=finauth sandbox', 'server', daysFromNow(-1, 30), [
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ]),
    issueLeaf(ca, CLIENT_SUBJECTS.transport, 'client', daysFromNow(-1, 365)),
    issueLeaf(ca, CLIENT_SUBJECTS.unregistered, 'client', daysFromNow(-1, 365)),
    issueLeaf(ca, CLIENT_SUBJECTS.expired, 'client', daysFromNow(-30, -1)),
    issueLeaf(ca, CLIENT_SUBJECTS.expiringSoon, 'client', daysFromNow(-1, 10)),
    issueLeaf(foreignCa, CLIENT_SUBJECTS.foreign, 'client', daysFromNow(-1, 365)),
  ]);

  const write = async (name: string, content: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };
  const writePair = async (name: string, issued: IssuedCertificate) => ({
    cert: await write(`${name}.pem`, issued.certPem),
    key: await write(`${name}.key.pem`, issued.keyPem),
  });
  const writeSigning = async (name: SigningKeyName, key: GeneratedSigningKey): Promise<SigningKeyFiles> => ({
    key: await write(`signing-${name}.key.pem`, key.privatePem),
    kid: key.kid,
    alg: key.alg,
    publicJwk: key.publicJwk,
  });

  const [ps256, es256, unregisteredSigning, ps256Next] = await signingKeys;
  const caCert = await write('ca.pem', ca.certPem);
  await write('foreign-ca.pem', foreignCa.certPem);
  const serverFiles = await writePair('server', server);
  const pki: Pki = {
    caCert,
    caKey: await write('ca.key.pem', ca.keyPem),
    serverCert: serverFiles.cert,
    serverKey: serverFiles.key,
    clients: {
      transport: await writePair('client-transport', transport),
      unregistered: await writePair('client-unregistered', unregistered),
      expired: await writePair('client-expired', expired),
      expiringSoon: await writePair('client-expiring-soon', expiringSoon),
      foreign: await writePair('client-foreign', foreign),
    },
    signing: {
      ps256: await writeSigning('ps256', ps256),
      ps256Next: await writeSigning('ps256Next', ps256Next),
      es256: await writeSigning('es256', es256),
      unregisteredSigning: await writeSigning('unregisteredSigning', unregisteredSigning),
    },
    transportSubjectDn: TRANSPORT_SUBJECT_DN,
  };
  await write('jwks.json', JSON.stringify({ keys: [ps256.publicJwk, es256.publicJwk] }, null, 2));
  return pki;
}
