import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { importJWK, jwtVerify } from 'jose';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { softHsm, SOFTHSM_MODULE, TOKEN_LABEL, type SoftHsm } from './helpers/softHsm.js';

const BIN = join(dirname(createRequire(import.meta.url).resolve('@finauth/cli/package.json')), 'bin', 'finauth.js');
/** Where `npx finauth` runs in a project that installed @finauth/signer-pkcs11: the repository root (its node_modules has the workspace packages). */
const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const PIN_ENV = 'FINAUTH_HSM_PIN';

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The `finauth` bin as its own process, run from the project folder. Asynchronous: the sandbox
 * serving it lives in this process. A process that does not exit by itself (an HSM session left
 * open, a socket) is killed at 30 s and shows up with its signal.
 */
function finauth(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: PROJECT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/**
 * Issue 21 from the shell: a config file that names "@finauth/signer-pkcs11" in its "strategies"
 * and a fapi2 provider whose key is in SoftHSM2. `finauth token` and `finauth doctor` load the
 * signer package by name (the cli has no dependency on it), get tokens from the sandbox OFP over
 * mutual TLS and exit by themselves; the PIN, read from env:, is printed nowhere. (A process exits
 * even with a PKCS#11 session left open: pkcs11js holds no event-loop handle. That doctor and the
 * providers close every signer they open is shown in-process, by the module's user count, in
 * doctor.test.ts and oauth2.genericOp.test.ts.)
 */
describe('the finauth bin with an HSM signer named in the config file (SoftHSM2, sandbox OFP)', function () {
  let hsm: SoftHsm;
  let sb: Sandbox;
  let dir: string;

  before(async () => {
    hsm = softHsm();
    sb = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), 'finauth-bin-hsm-'));
    hsm.importPem(sb.pki.signing.ps256.key, 'bin-ps256', '41');
  });
  after(async () => {
    await sb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function configFile(name: string, signer: Record<string, unknown> = {}, strategies: string[] = ['@finauth/signer-pkcs11']): string {
    const transport = sb.pki.clients.transport;
    const provider = {
      id: 'paynet-hsm',
      strategy: 'fapi2',
      issuer: sb.ofp.issuer,
      clientId: sb.ofp.clients.ps256.clientId,
      clientAuth: {
        method: 'private_key_jwt',
        alg: 'PS256',
        kid: sb.pki.signing.ps256.kid,
        signer: { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: `env:${PIN_ENV}`, keyLabel: 'bin-ps256', ...signer },
      },
      tls: { cert: `file:${transport.cert}`, key: `file:${transport.key}`, ca: `file:${sb.pki.caCert}` },
      scope: 'accounts',
    };
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ strategies, providers: [provider] }, null, 2));
    return file;
  }

  const env = (pin: string): Record<string, string> => ({ SOFTHSM2_CONF: hsm.conf, [PIN_ENV]: pin });

  it('finauth token: prints a token the OFP says is active, and exits by itself', async () => {
    sb.ofp.log.clear();
    const run = await finauth(['token', 'paynet-hsm', '--config', configFile('token.json')], env(hsm.pin));
    expect(run.signal, 'the process exited by itself').to.equal(null);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).to.have.length(1);
    const info = await sb.ofp.introspect(lines[0]!);
    expect(info['active']).to.equal(true);
    expect(info['client_id']).to.equal(sb.ofp.clients.ps256.clientId);
    const posts = sb.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token');
    expect(posts, 'one token request').to.have.length(1);
    // Signed in the HSM by the child process: verified here by jose with the key the OFP registered.
    const assertion = new URLSearchParams(posts[0]!.body).get('client_assertion')!;
    await jwtVerify(assertion, await importJWK(sb.pki.signing.ps256.publicJwk, 'PS256'), { audience: sb.ofp.issuer });
    expect(run.stdout + run.stderr).to.not.include(hsm.pin);
  });

  it('finauth doctor: the signer check and a live token pass, exit 0, the PIN nowhere in the output', async () => {
    const run = await finauth(['doctor', '--config', configFile('doctor.json')], env(hsm.pin));
    expect(run.signal, 'the process exited by itself').to.equal(null);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(new RegExp(`\\[PASS\\] signer: PS256 key found, test JWS verified with its public key \\(RFC 7638 thumbprint ${sb.pki.signing.ps256.kid}\\); matches: kid is its thumbprint`));
    expect(run.stdout).to.match(/\[PASS\] live token: Bearer token, expires in \d+ s, scope "accounts"/);
    expect(run.stdout).to.match(/^doctor: \d+ passed, 0 warned, 0 failed, \d+ skipped$/m);
    expect(run.stdout + run.stderr).to.not.include(hsm.pin);
  });

  it('finauth token with a wrong PIN: one line on stderr naming the field, exit 1, the PIN nowhere', async () => {
    const wrong = 'bin-wrong-pin-5150';
    const run = await finauth(['token', 'paynet-hsm', '--config', configFile('wrong-pin.json')], env(wrong));
    expect(run.signal).to.equal(null);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^finauth token: Invalid finauth configuration \(1 issue\): providers\[0\]\.clientAuth\.signer\.pin: token "finauth" refused the PIN \(CKR_PIN_INCORRECT\)/);
    expect(run.stdout + run.stderr).to.not.include(wrong);
    expect(run.stdout + run.stderr).to.not.include(hsm.pin);
  });

  it('finauth doctor with a wrong PIN: one FAIL (signer), exit 1, the PIN nowhere', async () => {
    const wrong = 'bin-wrong-pin-6060';
    const run = await finauth(['doctor', '--config', configFile('doctor-wrong-pin.json')], env(wrong));
    expect(run.signal).to.equal(null);
    expect(run.code).to.equal(1);
    const failed = run.stdout.split('\n').filter((l) => l.includes('[FAIL]'));
    expect(failed).to.have.length(1);
    expect(failed[0]).to.match(/^ {2}\[FAIL\] signer: providers\[0\]\.clientAuth\.signer\.pin: token "finauth" refused the PIN \(CKR_PIN_INCORRECT\)/);
    expect(run.stdout + run.stderr).to.not.include(wrong);
  });

  it('a config that does not name the signer package: token says which type is unknown and how to register it', async () => {
    const run = await finauth(['token', 'paynet-hsm', '--config', configFile('no-module.json', {}, [])], env(hsm.pin));
    expect(run.code).to.equal(1);
    expect(run.stderr.trim()).to.match(/providers\[0\]\.clientAuth\.signer\.type: unknown signer type "pkcs11"; registered: \(none: add the signer package's module to strategies/);
  });
});
