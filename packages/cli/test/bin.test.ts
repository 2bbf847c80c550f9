import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { BIN, runBin } from './support/runBin.js';

const cliDir = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = join(cliDir, '..', '..');
const version = (JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The `finauth` bin is a committed file (bin/finauth.js), so `npm ci` links it before any build
 * and `npx finauth` never asks the registry (issue 12 §2). Run as a process, as a user runs it.
 */
describe('the finauth bin (as a process)', () => {
  it('package.json links the committed bin/finauth.js, not a build output', () => {
    const manifest = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(manifest.bin).to.deep.equal({ finauth: './bin/finauth.js' });
    expect(manifest.files).to.include('bin');
    expect(BIN.endsWith(join('bin', 'finauth.js'))).to.equal(true);
  });

  it('--version prints the version of @finauth/cli and exits 0', async () => {
    const r = await runBin(['--version']);
    expect(r).to.include({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('npx --no-install finauth --version runs the linked bin, never the registry', () => {
    // --no-install: npx fails rather than download a package when the bin is not linked locally.
    const r = spawnSync('npx', ['--no-install', 'finauth', '--version'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, npm_config_offline: 'true' } });
    expect(r.stdout, r.stderr).to.equal(`${version}\n`);
    expect(r.status).to.equal(0);
  });

  it('before a build: one line saying to run npm run build, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finauth-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(BIN, join(dir, 'bin', 'finauth.js'));
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'finauth.js'), '--version'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal('finauth: @finauth/cli is not built yet: run npm run build\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader that closes the pipe (finauth doctor | head) ends it quietly: no EPIPE stack trace, exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'doctor', '--config', join(tmpdir(), 'finauth-no-such-config.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the process has started: its first line already meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
  });
});
