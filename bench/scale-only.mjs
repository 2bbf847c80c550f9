// The scale bench alone, in fresh processes, alternating between code trees so that a neighbour's
// load falls on both alike; prints medians. Usage:
//   node bench/scale-only.mjs [processes=7] [kinds=fapi2,basic] [root ...]
// Each root is a checkout whose bench/lib/scale.mjs and packages are measured (default: this one).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePki } from '@finauth/sandbox';

const [countArg, kindsArg, ...rootsArg] = process.argv.slice(2);
const processes = Number(countArg ?? 7);
const kinds = (kindsArg ?? 'fapi2,basic').split(',');
const roots = rootsArg.length > 0 ? rootsArg : [fileURLToPath(new URL('..', import.meta.url))];
const dir = mkdtempSync(join(tmpdir(), 'finauth-scale-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const pki = JSON.stringify(await generatePki(dir));
  const runs = new Map();
  for (let i = 0; i < processes; i++) {
    for (const kind of kinds) {
      for (const root of roots) {
        const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'bench/lib/scale.mjs'), pki, '1000', kind], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scale.mjs failed in ${root}: ${r.stderr}`);
        const key = `${kind} ${root}`;
        runs.set(key, [...(runs.get(key) ?? []), JSON.parse(r.stdout)]);
      }
    }
  }
  // With two trees: the median of the per-round ratios (second ÷ first), each round's pair having run back to back.
  if (roots.length === 2) {
    for (const kind of kinds) {
      const [a, b] = roots.map((root) => runs.get(`${kind} ${root}`));
      for (const f of ['createMs', 'createCpuMs', 'createMsWarm']) {
        const ratios = a.map((r, i) => b[i][f] / r[f]);
        process.stdout.write(`${kind} ${f}: ratio ${median(ratios).toFixed(2)} [${ratios.map((x) => x.toFixed(2)).join(' ')}]\n`);
      }
    }
  }
  for (const [key, rs] of runs) {
    const m = (f) => median(rs.map((r) => r[f])).toFixed(1);
    process.stdout.write(`${key}: first ${m('createMs')} ms (cpu ${m('createCpuMs')} ms), warm ${m('createMsWarm')} ms, heap ${m('heapMB')} MB  [n=${rs.length}; first: ${rs.map((r) => r.createMs.toFixed(0)).join(' ')}]\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
