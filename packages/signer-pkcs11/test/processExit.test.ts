import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { compactVerify } from 'jose';
import { signerJson } from './helpers/signerConfig.js';
import { softHsm, type SoftHsm } from './helpers/softHsm.js';

const CHILD = fileURLToPath(new URL('./fixtures/signAndClose.js', import.meta.url));

function runChild(hsm: SoftHsm, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CHILD, ...args], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A process that does not exit by itself is the failure this test looks for: give up after 15 s.
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('Pkcs11Signer in a process of its own', function () {
  let hsm: SoftHsm;
  before(() => {
    hsm = softHsm();
  });

  it('close() logs out and finalises the module: the process exits by itself with its signatures valid', async () => {
    const result = await runChild(hsm, [JSON.stringify(signerJson(hsm, { keyLabel: hsm.keys.ec.label })), '20', 'close']);
    expect(result.code, result.stderr).to.equal(0);
    const out = JSON.parse(result.stdout) as { signatures: string[]; libraryUsers: number };
    expect(out.libraryUsers, 'module released').to.equal(0);
    expect(out.signatures).to.have.length(20);
    for (const jws of out.signatures) await compactVerify(jws, hsm.keys.ec.publicKey);
  });

  it('the PIN never reaches the output of a process whose login fails', async () => {
    const result = await runChild(hsm, [JSON.stringify(signerJson(hsm, { pin: 'child-wrong-pin-99' })), '1', 'close']);
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(/ConfigError[\s\S]*pin: token "finauth" refused the PIN \(CKR_PIN_INCORRECT\)/);
    expect(result.stderr + result.stdout).to.not.include('child-wrong-pin-99');
  });
});
