import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOFTHSM_MODULE, type SoftHsm } from './softHsm.js';

/** A self-signed certificate over the PKCS#8 key in `keyPem` (a file), made by openssl: PEM and DER. */
export function selfSignedCertificate(keyPemPath: string, subject: string): { pem: string; der: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cert-'));
  try {
    const out = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-new', '-key', keyPemPath, '-subj', subject, '-days', '2', '-out', out], { stdio: 'ignore' });
    const pem = readFileSync(out, 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    return { pem, der };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stores `der` in the token as an X.509 certificate object with CKA_ID `idHex` (the id of the key
 * it goes with), as an operator does with the certificate the bank issued. Runs in a child process
 * with pkcs11js, so this process's module state (shared by the signers under test) is untouched.
 * softhsm2-util cannot import certificates; pkcs11-tool could, but is not a prerequisite here.
 */
export function importCertificate(hsm: SoftHsm, tokenLabel: string, der: Buffer, idHex: string, label: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cert-'));
  try {
    const derPath = join(dir, 'cert.der');
    writeFileSync(derPath, der);
    const script = `
      import { readFileSync } from 'node:fs';
      import pkcs11js from 'pkcs11js';
      const [module, tokenLabel, pin, derPath, idHex, label, subjectHex] = process.argv.slice(1);
      const p = new pkcs11js.PKCS11();
      p.load(module);
      p.C_Initialize();
      try {
        const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === tokenLabel);
        const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        p.C_Login(session, pkcs11js.CKU_USER, pin);
        p.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_ID, value: Buffer.from(idHex, 'hex') },
          { type: pkcs11js.CKA_LABEL, value: label },
          { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(subjectHex, 'hex') },
          { type: pkcs11js.CKA_VALUE, value: readFileSync(derPath) },
        ]);
        p.C_Logout(session);
        p.C_CloseSession(session);
      } finally {
        p.C_Finalize();
      }`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script, SOFTHSM_MODULE, tokenLabel, hsm.pin, derPath, idHex, label, subjectDer(der).toString('hex')], {
      env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
      // pkcs11js is this package's dependency: resolve it from here.
      cwd: packageDir(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function packageDir(): string {
  // dist-test/test/helpers → the package folder
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** One DER TLV at `offset`: where its content starts and ends. */
function tlv(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i += 1) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  return { tag, start, end: start + length };
}

/** The subject Name of a certificate, DER (CKA_SUBJECT): the sixth field of TBSCertificate (RFC 5280 §4.1). */
function subjectDer(der: Buffer): Buffer {
  const certificate = tlv(der, 0);
  const tbs = tlv(der, certificate.start);
  let at = tbs.start;
  let field = tlv(der, at);
  if (field.tag === 0xa0) at = field.end; // [0] version
  for (let skip = 0; skip < 4; skip += 1) at = tlv(der, at).end; // serialNumber, signature, issuer, validity
  field = tlv(der, at);
  return der.subarray(at, field.end);
}
