import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's softhsm2 package puts the module here (amd64 and arm64 alike). */
export const SOFTHSM_MODULE = process.env['FINAUTH_TEST_SOFTHSM_MODULE'] ?? '/usr/lib/softhsm/libsofthsm2.so';
export const TOKEN_LABEL = 'finauth';

export interface TestKey {
  readonly label: string;
  /** Hex CKA_ID. */
  readonly id: string;
  /** The public half, from node:crypto (not read back from the token): an independent check. */
  readonly publicKey: KeyObject;
  readonly publicJwk: JsonWebKey;
}

export interface SoftHsm {
  readonly dir: string;
  /** SOFTHSM2_CONF for child processes. */
  readonly conf: string;
  readonly pin: string;
  readonly soPin: string;
  readonly serial: string;
  readonly keys: Record<'rsa' | 'ec' | 'ed25519' | 'rsa1024' | 'p384', TestKey>;
  /** Imports a PKCS#8 PEM file into the token (what an operator does with a key the bank registered). */
  importPem(pemPath: string, label: string, id: string): void;
  importPemInto(tokenLabel: string, pemPath: string, label: string, id: string): void;
  /** Another token in the same directory (for "two tokens" and "token removed" cases). */
  initToken(label: string, pin: string): string;
  deleteToken(label: string): void;
  remove(): void;
}

let shared: SoftHsm | undefined;

/**
 * A SoftHSM2 token directory of the tests' own (never the system one): SOFTHSM2_CONF points this
 * process at it before the module is first initialised. One per test process: SoftHSM reads its
 * configuration at C_Initialize, and every test in the process shares the module.
 */
export function softHsm(): SoftHsm {
  if (shared) return shared;
  const dir = mkdtempSync(join(tmpdir(), 'finauth-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const util = (args: string[]): string => execFileSync('softhsm2-util', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const pin = randomBytes(6).toString('hex');
  const soPin = randomBytes(6).toString('hex');
  const initToken = (label: string, userPin: string): string => {
    const out = util(['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', userPin]);
    return /slot (\d+)/.exec(out.split('\n').pop() || out)?.[1] ?? '';
  };
  initToken(TOKEN_LABEL, pin);
  const importPemInto = (token: string, pemPath: string, label: string, id: string): void => {
    util(['--import', pemPath, '--token', token, '--label', label, '--id', id, '--pin', pin]);
  };
  const importPem = (pemPath: string, label: string, id: string): void => importPemInto(TOKEN_LABEL, pemPath, label, id);
  const add = (label: string, id: string, pair: { privateKey: KeyObject; publicKey: KeyObject }): TestKey => {
    const file = join(dir, `${label}.pem`);
    writeFileSync(file, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    importPem(file, label, id);
    rmSync(file);
    return { label, id, publicKey: pair.publicKey, publicJwk: pair.publicKey.export({ format: 'jwk' }) };
  };
  const keys = {
    rsa: add('signing-ps256', '01', generateKeyPairSync('rsa', { modulusLength: 2048 })),
    ec: add('signing-es256', '02', generateKeyPairSync('ec', { namedCurve: 'P-256' })),
    ed25519: add('signing-eddsa', '03', generateKeyPairSync('ed25519')),
    rsa1024: add('weak-rsa-1024', '04', generateKeyPairSync('rsa', { modulusLength: 1024 })),
    p384: add('ec-p384', '05', generateKeyPairSync('ec', { namedCurve: 'P-384' })),
  };
  const block = util(['--show-slots']).split(/\nSlot /).find((b) => /Label:\s+finauth\s*$/m.test(b)) ?? '';
  const serial = /Serial number:\s+(\S+)/.exec(block)?.[1] ?? '';
  shared = {
    dir,
    conf,
    pin,
    soPin,
    serial,
    keys,
    importPem,
    importPemInto,
    initToken,
    deleteToken: (label) => void util(['--delete-token', '--token', label]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return shared;
}
