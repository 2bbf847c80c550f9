import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { generatePki } from '@finauth/sandbox';
import { spawnSync } from 'node:child_process';
const pki = await generatePki(mkdtempSync(join(tmpdir(), 'sp-')));
const r = spawnSync(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir=/tmp/prof2', '/work/main/bench/lib/scale.mjs', JSON.stringify(pki), '1000', process.argv[2] ?? 'fapi2'], { encoding: 'utf8' });
console.log(r.stdout, r.stderr);
