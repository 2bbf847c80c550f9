import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { memoryIo, runDoctor } from '@finauth/cli';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { libraryUsers } from '../src/pkcs11/Pkcs11Library.js';
import { softHsm, SOFTHSM_MODULE, TOKEN_LABEL, type SoftHsm } from './helpers/softHsm.js';
import { importCertificate, selfSignedCertificate } from './helpers/tokenCertificate.js';

const PIN_ENV = 'FINAUTH_TEST_DOCTOR_HSM_PIN';
const WRONG_PIN_ENV = 'FINAUTH_TEST_DOCTOR_WRONG_PIN';
const WRONG_PIN = 'doctor-wrong-pin-4242';
/**
 * This package as the config's "strategies" names it, by path: the very copy this test imports,
 * so `libraryUsers` sees the sessions doctor opened. (bin.test names "@finauth/signer-pkcs11".)
 */
const SIGNER_MODULE = fileURLToPath(new URL('../src/index.js', import.meta.url));

/**
 * `finauth doctor` on providers whose clientAuth.signer is a PKCS#11 key (SoftHSM2, a token of the
 * tests' own), the signer package loaded from the config's "strategies" through client-auth's
 * SIGNER_FACTORY, against the sandbox OFP over mutual TLS.
 */
describe('finauth doctor: a signer declared in the config (PKCS#11, SoftHSM2)', function () {
  let hsm: SoftHsm;
  let sb: Sandbox;
  let dir: string;
  /** Certificates (PEM files) of the two OFP keys, and of a key that is in no token. */
  const certs: Record<'ps256' | 'es256' | 'other', string> = { ps256: '', es256: '', other: '' };

  before(async () => {
    hsm = softHsm();
    sb = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), 'finauth-doctor-hsm-'));
    // The OFP has the sandbox's PS256 and ES256 keys registered (kid = RFC 7638 thumbprint).
    hsm.importPem(sb.pki.signing.ps256.key, 'doctor-ps256', '31');
    hsm.importPem(sb.pki.signing.es256.key, 'doctor-es256', '32');
    const ps256 = selfSignedCertificate(sb.pki.signing.ps256.key, '/CN=finauth-doctor-ps256');
    const es256 = selfSignedCertificate(sb.pki.signing.es256.key, '/CN=finauth-doctor-es256');
    const otherKey = join(dir, 'other.pem');
    writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const other = selfSignedCertificate(otherKey, '/CN=finauth-doctor-other');
    // The PS256 key has its own certificate beside it in the token; the ES256 key has another key's.
    importCertificate(hsm, TOKEN_LABEL, ps256.der, '31', 'doctor-ps256');
    importCertificate(hsm, TOKEN_LABEL, other.der, '32', 'doctor-es256');
    for (const [name, pem] of [['ps256', ps256.pem], ['es256', es256.pem], ['other', other.pem]] as const) {
      certs[name] = join(dir, `${name}.cert.pem`);
      writeFileSync(certs[name], pem);
    }
    process.env[PIN_ENV] = hsm.pin;
    process.env[WRONG_PIN_ENV] = WRONG_PIN;
  });
  after(async () => {
    delete process.env[PIN_ENV];
    delete process.env[WRONG_PIN_ENV];
    await sb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(libraryUsers(SOFTHSM_MODULE), 'doctor closed every signer it opened (its own and the provider instance\'s)').to.equal(0);
  });

  function fapi2Provider(client: 'ps256' | 'es256', signer: Record<string, unknown> = {}, clientAuth: Record<string, unknown> = {}): Record<string, unknown> {
    const signing = sb.pki.signing[client];
    const transport = sb.pki.clients.transport;
    return {
      id: `hsm-${client}`,
      strategy: 'fapi2',
      issuer: sb.ofp.issuer,
      clientId: sb.ofp.clients[client].clientId,
      clientAuth: {
        method: 'private_key_jwt',
        alg: signing.alg,
        kid: signing.kid,
        signer: { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: `env:${PIN_ENV}`, keyLabel: `doctor-${client}`, ...signer },
        ...clientAuth,
      },
      tls: { cert: `file:${transport.cert}`, key: `file:${transport.key}`, ca: `file:${sb.pki.caCert}` },
      scope: 'accounts',
    };
  }

  async function doctor(name: string, providers: Record<string, unknown>[], strategies: string[] = [SIGNER_MODULE]): Promise<{ code: number; lines: string[]; text: string }> {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ strategies, providers }, null, 2));
    const io = memoryIo();
    const code = await runDoctor(io, { config: file });
    const text = [...io.stdout, ...io.stderr].join('\n');
    // The PIN is read from its reference (env:) and appears nowhere in what doctor prints.
    expect(text).to.not.include(hsm.pin);
    expect(text).to.not.include(WRONG_PIN);
    return { code, lines: io.stdout, text };
  }

  function verdict(lines: string[], id: string, check: string): string {
    const start = lines.findIndex((l) => l.startsWith(`provider ${id} `));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('provider '));
    const at = lines.slice(start, end === -1 ? undefined : end).findIndex((l) => new RegExp(`^  \\[\\w+\\] ${check}:`).test(l));
    if (at === -1) throw new Error(`no "${check}" line for ${id}:\n${lines.join('\n')}`);
    return lines[start + at]!.trim();
  }

  function hintAfter(lines: string[], line: string): string {
    const index = lines.findIndex((l) => l.trim() === line);
    return lines[index + 1]?.trim() ?? '';
  }

  it('a good HSM key: found, signs a JWS jose verifies, kid is its thumbprint and the token\'s certificate holds it; live token from the OFP; exit 0', async () => {
    const { code, lines, text } = await doctor('good.json', [fapi2Provider('ps256')]);
    expect(code, text).to.equal(0);
    const thumbprint = sb.pki.signing.ps256.kid;
    expect(verdict(lines, 'hsm-ps256', 'signer')).to.equal(
      `[PASS] signer: PS256 key found, test JWS verified with its public key (RFC 7638 thumbprint ${thumbprint}); matches: kid is its thumbprint, the key store's certificate (CN=finauth-doctor-ps256)`,
    );
    expect(verdict(lines, 'hsm-ps256', 'config valid')).to.match(/^\[PASS\] config valid: strategy fapi2, client authentication private_key_jwt/);
    expect(verdict(lines, 'hsm-ps256', 'live token')).to.match(/^\[PASS\] live token: Bearer token, expires in \d+ s, scope "accounts"/);
    expect(lines[1]).to.equal('[PASS] config file: 1 provider(s), valid');
  });

  const failures: [string, Record<string, unknown>, RegExp, RegExp][] = [
    ['a wrong PIN', { pin: `env:${WRONG_PIN_ENV}` }, /^\[FAIL\] signer: providers\[0\]\.clientAuth\.signer\.pin: token "finauth" refused the PIN \(CKR_PIN_INCORRECT\)/, /hint: the PIN is read from the reference in clientAuth\.signer\.pin .*repeated wrong PINs lock the token/],
    ['an unknown key label', { keyLabel: 'doctor-nope' }, /^\[FAIL\] signer: providers\[0\]\.clientAuth\.signer\.keyLabel: token "finauth" holds no private key labelled "doctor-nope"/, /hint: list the token's objects/],
    ['a missing module file', { module: '/opt/vendor/lib/libnothere.so' }, /^\[FAIL\] signer: providers\[0\]\.clientAuth\.signer\.module: no file at \/opt\/vendor\/lib\/libnothere\.so/, /hint: install the vendor's client library, or fix the path/],
  ];
  for (const [what, signer, line, hint] of failures) {
    it(`${what}: one FAIL line (signer), the provider is not created, the PIN nowhere in the output, exit 1`, async () => {
      const { code, lines } = await doctor(`fail-${what.replace(/\W+/g, '-')}.json`, [fapi2Provider('ps256', signer)]);
      expect(code).to.equal(1);
      const failed = verdict(lines, 'hsm-ps256', 'signer');
      expect(failed).to.match(line);
      expect(hintAfter(lines, failed)).to.match(hint);
      expect(lines.filter((l) => l.includes('[FAIL]')), 'one mistake, one FAIL').to.have.length(1);
      expect(verdict(lines, 'hsm-ps256', 'config valid')).to.equal('[SKIP] config valid: not run: "signer" failed');
    });
  }

  it('the signer package not named in "strategies": one FAIL naming the type and the fix', async () => {
    const { code, lines } = await doctor('no-module.json', [fapi2Provider('ps256')], []);
    expect(code).to.equal(1);
    const failed = verdict(lines, 'hsm-ps256', 'signer');
    expect(failed).to.match(/^\[FAIL\] signer: providers\[0\]\.clientAuth\.signer\.type: unknown signer type "pkcs11"; registered: \(none/);
    expect(hintAfter(lines, failed)).to.match(/hint: name the signer's package in the config file's "strategies" list/);
  });

  it('the token keeps another key\'s certificate under the key\'s id: WARN saying which, with the hint; the live token still works', async () => {
    const { code, lines } = await doctor('stored-mismatch.json', [fapi2Provider('es256')]);
    expect(code).to.equal(0);
    const line = verdict(lines, 'hsm-es256', 'signer');
    expect(line).to.match(/^\[WARN\] signer: ES256 key found, test JWS verified with its public key \(RFC 7638 thumbprint [\w-]+\); but the key store's certificate \(CN=finauth-doctor-other\) holds another key \(thumbprint [\w-]+\)$/);
    expect(hintAfter(lines, line)).to.match(/hint: the key store keeps, under this key's id, a certificate of another key/);
    expect(verdict(lines, 'hsm-es256', 'live token')).to.match(/^\[PASS\] live token/);
  });

  it('a kid that is not the thumbprint and no certificate holding the key: WARN with the thumbprint to compare', async () => {
    // The ES256 key with no certificate beside it: its public-key object only (id 33).
    hsm.importPem(sb.pki.signing.es256.key, 'doctor-es256-bare', '33');
    const { lines } = await doctor('kid-mismatch.json', [fapi2Provider('es256', { keyLabel: 'doctor-es256-bare' }, { kid: 'bank-assigned-7' })]);
    const line = verdict(lines, 'hsm-es256', 'signer');
    expect(line).to.equal(`[WARN] signer: ES256 key found, test JWS verified with its public key (RFC 7638 thumbprint ${sb.pki.signing.es256.kid}); kid "bank-assigned-7" is not its thumbprint and no certificate holds it: doctor cannot tie the key to what the bank registered`);
    expect(hintAfter(lines, line)).to.equal(`hint: check that the public key the bank registered under kid "bank-assigned-7" has RFC 7638 thumbprint ${sb.pki.signing.es256.kid} (the live token check proves it against the server)`);
  });

  it('tls.cert holds the signing key: PASS says so (one key for transport and signing)', async () => {
    const provider = fapi2Provider('ps256', {}, { kid: 'bank-assigned-9' });
    provider['tls'] = { cert: `file:${certs.ps256}`, key: `file:${sb.pki.signing.ps256.key}`, ca: `file:${sb.pki.caCert}` };
    const { lines } = await doctor('tls-match.json', [provider]);
    expect(verdict(lines, 'hsm-ps256', 'signer')).to.match(/^\[PASS\] signer: PS256 key found, .*; matches: tls\.cert holds this key, the key store's certificate \(CN=finauth-doctor-ps256\); kid "bank-assigned-9" is the bank's name for it, not its thumbprint$/);
  });

  describe('an oauth2 provider whose assertion header names a certificate (x5t#S256)', () => {
    function oauth2Provider(certificate: string): Record<string, unknown> {
      return {
        id: 'hsm-oauth2',
        strategy: 'oauth2',
        issuer: sb.ofp.issuer,
        clientId: sb.ofp.clients.ps256.clientId,
        clientAuth: {
          method: 'private_key_jwt',
          alg: 'PS256',
          signer: { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: `env:${PIN_ENV}`, keyLabel: 'doctor-ps256' },
          headerKeys: ['kid', 'x5t#S256'],
          certificate: `file:${certificate}`,
        },
        tls: { cert: `file:${sb.pki.clients.transport.cert}`, key: `file:${sb.pki.clients.transport.key}`, ca: `file:${sb.pki.caCert}` },
      };
    }

    it('its certificate: PASS naming clientAuth.certificate', async () => {
      const { lines } = await doctor('oauth2-cert.json', [oauth2Provider(certs.ps256)]);
      expect(verdict(lines, 'hsm-oauth2', 'signer')).to.match(/^\[PASS\] signer: PS256 key found, .*; matches: kid \(not configured\) is its thumbprint, clientAuth\.certificate, the key store's certificate/);
    });

    it('another key\'s certificate: FAIL (the bank verifies with the certificate\'s key), the provider is not created', async () => {
      const { code, lines } = await doctor('oauth2-wrong-cert.json', [oauth2Provider(certs.other)]);
      expect(code).to.equal(1);
      const line = verdict(lines, 'hsm-oauth2', 'signer');
      expect(line).to.match(/^\[FAIL\] signer: PS256 key found, .*; but clientAuth\.certificate holds another key \(thumbprint [\w-]+\): the assertion header names that certificate, and the bank verifies with its key$/);
      expect(hintAfter(lines, line)).to.match(/^hint: give in clientAuth\.certificate the certificate issued for this key/);
      expect(verdict(lines, 'hsm-oauth2', 'config valid')).to.equal('[SKIP] config valid: not run: "signer" failed');
    });
  });

  it('no signer declared: the check is skipped', async () => {
    const provider = fapi2Provider('ps256');
    provider['clientAuth'] = { method: 'private_key_jwt', alg: 'PS256', kid: sb.pki.signing.ps256.kid, signingKey: `file:${sb.pki.signing.ps256.key}` };
    const { lines } = await doctor('no-signer.json', [provider]);
    expect(verdict(lines, 'hsm-ps256', 'signer')).to.equal('[SKIP] signer: no signer declared in the config (clientAuth.signer: { "type": ... })');
  });
});
