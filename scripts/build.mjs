// Builds every TypeScript project in the repository (packages, their tests, test support, test plugins, the
// examples and the top-level test/) with one `tsc -b`, so adding a package needs no edit here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = [];
const add = (p) => existsSync(p) && projects.push(p);
for (const dir of ['packages', join('test', 'packages'), join('test', 'plugins'), 'examples']) {
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    add(join(dir, name, 'tsconfig.json'));
    add(join(dir, name, 'test', 'tsconfig.json'));
  }
}
add(join('test', 'tsconfig.json'));
const args = ['tsc', '-b', ...projects, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
