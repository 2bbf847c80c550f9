import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type TestEnv = (base: NodeJS.ProcessEnv, stdoutIsTty: boolean, resultsDir: string) => { env: NodeJS.ProcessEnv; colour: boolean };

/**
 * Test logs read outside a terminal (CI, files) carry no ANSI escape codes. scripts/run-tests.mjs
 * builds every test process's environment with scripts/test-env.mjs; a package's tests then run
 * under lerna's task runner, which sets FORCE_COLOR=true unless it is already set. This runs a
 * fixture suite through the repository's mocha settings and reporter the same way, stdout piped.
 */
describe('npm test output', () => {
  let testEnv: TestEnv;
  before(async () => {
    ({ testEnv } = (await import(pathToFileURL(join(root, 'scripts', 'test-env.mjs')).href)) as { testEnv: TestEnv });
  });

  function fixtureUnderLerna(env: NodeJS.ProcessEnv): string {
    const taskEnv: NodeJS.ProcessEnv = { ...env, FORCE_COLOR: env['FORCE_COLOR'] ?? 'true' }; // nx's rule for a task's environment
    delete taskEnv['FINAUTH_TEST_RESULTS']; // the fixture must not count in this run's tally
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', '.mocharc.cjs', 'test/tooling/fixtures/passing.spec.cjs'], { cwd: root, env: taskEnv, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('2 passing');
    return r.stdout;
  }
  const clean = (): NodeJS.ProcessEnv => {
    const env = { ...process.env };
    for (const name of ['FINAUTH_TEST_COLOR', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
    return env;
  };

  it('has no colour codes when stdout is not a terminal', () => {
    const { env, colour } = testEnv(clean(), false, 'unused');
    expect(colour).to.equal(false);
    expect(fixtureUnderLerna(env)).to.not.include('\x1b[');
  });

  it('without the explicit "no colour", lerna would force it: the control for the test above', () => {
    const env = clean();
    env['FINAUTH_TEST_COLOR'] = '0';
    expect(fixtureUnderLerna(env)).to.include('\x1b[');
  });

  it('has colour for a person at a terminal', () => {
    const { env, colour } = testEnv(clean(), true, 'unused');
    expect(colour).to.equal(true);
    expect(fixtureUnderLerna(env)).to.include('\x1b[');
  });

  it('NO_COLOR at a terminal is honoured', () => {
    const { env, colour } = testEnv({ ...clean(), NO_COLOR: '1' }, true, 'unused');
    expect(colour).to.equal(false);
    expect(fixtureUnderLerna(env)).to.not.include('\x1b[');
  });
});
