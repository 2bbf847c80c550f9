// Runs every package's tests (lerna, in dependency order) and the top-level test/ suite, then prints
// one closing tally line. Exit code is non-zero when anything failed or nothing ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from './test-env.mjs';

const results = mkdtempSync(join(tmpdir(), 'finauth-test-results-'));
const { env, colour } = testEnv(process.env, process.stdout.isTTY === true, results);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

let status = run('npx', ['lerna', 'run', 'test', '--stream', '--concurrency', '1', '--no-bail', '--skip-nx-cache']);
status = run('npx', ['mocha', '--config', '.mocharc.cjs', ...(colour ? [] : ['--no-color']), 'test/dist/**/*.test.js']) || status;

let passed = 0;
let failed = 0;
let files = 0;
for (const f of readdirSync(results)) {
  const r = JSON.parse(readFileSync(join(results, f), 'utf8'));
  passed += r.passes;
  failed += r.failures + r.pending;
  files += 1;
}
rmSync(results, { recursive: true, force: true });
console.log(`\nfinauth: ${passed} passed, ${failed} failed`);
if (files === 0 || passed === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 || status !== 0 ? 1 : 0);
