import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { BIN, runBin } from './support/runBin.js';

interface Running {
  readonly config: string;
  readonly stdout: () => string;
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `finauth sandbox` as a user runs it: a process, read until it prints its config, stopped by a signal. */
function startSandboxCommand(args: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no config line within 30 s:\n${out}\n${err}`));
    }, 30_000);
    const look = (): void => {
      const match = /^ {2}config +(\S+)$/m.exec(out);
      if (!match || !out.includes('finauth token')) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve({
        config: match[1]!,
        stdout: () => out,
        stop: async (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', look);
    void exited.then(({ code }) => reject(new Error(`exited early with ${code}:\n${out}\n${err}`)));
  });
}

describe('finauth sandbox', function () {
  // A process that starts two authorization servers, then doctor and token against them.
  this.timeout(90_000);

  it('runs the servers with a ready config until SIGINT, which stops everything and exits 0 (temporary folder removed)', async () => {
    const sandbox = await startSandboxCommand();
    try {
      expect(sandbox.stdout()).to.match(/OFP-like FAPI 2\.0 authorization server +https:\/\/127\.0\.0\.1:\d+/);
      expect(sandbox.stdout()).to.match(/BNP-style API gateway +https:\/\/127\.0\.0\.1:\d+/);
      expect(sandbox.stdout()).to.match(/SNAP BI bank \(Indonesia\) +https:\/\/127\.0\.0\.1:\d+/);
      const config = JSON.parse(readFileSync(sandbox.config, 'utf8')) as { providers: Array<Record<string, unknown>> };
      expect(config.providers.map((p) => p['id'])).to.deep.equal(['ofp-private-key-jwt', 'ofp-tls-client-auth', 'bnp-gateway', 'snap-bi-bank']);
      expect(JSON.stringify(config), 'PKI files referenced relative to the config file').to.include('"file:certs/');
      // The learning path: doctor and token against the running sandbox, from its config alone.
      const io = memoryIo();
      expect(await runDoctor(io, { config: sandbox.config }), io.stdout.join('\n')).to.equal(0);
      const token = await runBin(['token', 'bnp-gateway', '--config', sandbox.config]);
      expect(token.code, token.stderr).to.equal(0);
      expect(token.stdout.trim()).to.have.length.greaterThan(10);
    } finally {
      const exit = await sandbox.stop('SIGINT');
      expect(exit).to.deep.equal({ code: 0, signal: null });
    }
    expect(existsSync(dirname(sandbox.config)), 'the temporary folder is removed').to.equal(false);
    expect(sandbox.stdout()).to.match(/servers stopped, .* removed\.\n$/);
  });

  it('--out DIR keeps the config there; SIGTERM stops it the same clean way', async () => {
    const out = mkdtempSync(join(tmpdir(), 'finauth-sandbox-out-'));
    try {
      const sandbox = await startSandboxCommand(['--out', out]);
      expect(sandbox.config).to.equal(join(out, 'finauth.json'));
      expect(await sandbox.stop('SIGTERM')).to.deep.equal({ code: 0, signal: null });
      expect(existsSync(join(out, 'finauth.json'))).to.equal(true);
      expect(existsSync(join(out, 'certs', 'client-transport.pem'))).to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
