import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/**
 * scripts/fast-check-seed.mjs (loaded by .mocharc.cjs): every property runs with a fixed seed, a
 * failure prints the seed and how to replay it, and FINAUTH_SEED replays it. Checked on a fixture
 * property that always finds a counterexample, run in its own mocha process.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const fixture = join(root, 'test', 'dist', 'repository', 'fixtures', 'failingProperty.js');
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

function runFixture(seed: string | undefined): { status: number | null; output: string } {
  const env: Record<string, string | undefined> = { ...process.env, FINAUTH_SEED: seed };
  delete env['FINAUTH_TEST_RESULTS']; // the fixture's failure is not part of the run's tally
  if (seed === undefined) delete env['FINAUTH_SEED'];
  const r = spawnSync(process.execPath, [mocha, '--config', join(root, '.mocharc.cjs'), fixture], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const counterexample = (output: string): string | undefined => /Counterexample: (.*)/.exec(output)?.[1];

describe('property-test seeds (FINAUTH_SEED)', () => {
  it('without FINAUTH_SEED: the fixed default seed, the same counterexample every run, and the replay line', async () => {
    const { DEFAULT_SEED } = (await import(join(root, 'scripts', 'fast-check-seed.mjs'))) as { DEFAULT_SEED: number };
    const [a, b] = [runFixture(undefined), runFixture(undefined)];
    expect(a.status).to.equal(1);
    expect(a.output).to.include(`seed: ${DEFAULT_SEED},`);
    expect(a.output).to.include(`Replay: FINAUTH_SEED=${DEFAULT_SEED} npm test`);
    expect(counterexample(a.output)).to.be.a('string');
    expect(counterexample(b.output)).to.equal(counterexample(a.output));
  });

  it('FINAUTH_SEED=<n> runs with that seed and prints it on failure', () => {
    const r = runFixture('-1814791025');
    expect(r.status).to.equal(1);
    expect(r.output).to.include('seed: -1814791025,');
    expect(r.output).to.include('Replay: FINAUTH_SEED=-1814791025 npm test');
    expect(r.output).to.match(/add \{ seed: -1814791025, path: "[\d:]+" \} to this fc\.assert/);
  });

  it('FINAUTH_SEED=random prints the seed it chose at start; that seed replays the same counterexample', () => {
    const r = runFixture('random');
    const chosen = /FINAUTH_SEED=random chose seed (-?\d+)/.exec(r.output)?.[1];
    expect(chosen, r.output).to.be.a('string');
    expect(counterexample(runFixture(chosen).output)).to.equal(counterexample(r.output));
  });

  it('a FINAUTH_SEED that is not a 32-bit integer stops the run', () => {
    const r = runFixture('12abc');
    expect(r.status).to.not.equal(0);
    expect(r.output).to.include('FINAUTH_SEED must be a 32-bit integer or "random"');
  });
});
