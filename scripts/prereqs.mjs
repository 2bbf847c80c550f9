// System prerequisites of the tests (programs such as redis-server that npm cannot install).
//
// Each workspace package declares what its tests run, in its package.json:
//   "finauth": { "systemPrereqs": [ { "command": "redis-server", "debian": "redis-server" } ] }
// `npm test` runs this script first. For every declared command missing from PATH it either
// installs the Debian packages (root or password-less sudo, apt-get present, FINAUTH_NO_INSTALL
// unset: one `apt-get update`, one `apt-get install`), or stops at once with one line naming what
// to install, before anything is built or run.
//
// Usage: node scripts/prereqs.mjs [--root DIR]   (DIR: the repository root; default: this script's parent)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// A command or Debian package name: nothing a shell or apt-get would read as an option or pattern.
const NAME = /^[a-z0-9][a-z0-9+._-]{0,99}$/;

function fail(line) {
  process.stderr.write(`finauth: ${line}\n`);
  process.exit(1);
}

/** The repository root: `--root DIR`, else the folder above scripts/. */
function rootDir(argv) {
  const at = argv.indexOf('--root');
  if (at >= 0) {
    if (!argv[at + 1]) fail('--root needs a folder');
    return resolve(argv[at + 1]);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

/** Package folders named by the root package.json's workspaces (`dir/*` globs and plain folders). */
function workspaceDirs(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of manifest.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const name of readdirSync(parent).sort()) {
        if (existsSync(join(parent, name, 'package.json'))) dirs.push(join(parent, name));
      }
    } else if (existsSync(join(root, pattern, 'package.json'))) {
      dirs.push(join(root, pattern));
    }
  }
  return dirs;
}

/** Every declared prerequisite, checked for shape, with the packages that need it. */
function declaredPrereqs(root) {
  const byCommand = new Map();
  for (const dir of workspaceDirs(root)) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const list = manifest.finauth?.systemPrereqs;
    if (list === undefined) continue;
    const where = `${manifest.name ?? dir}: finauth.systemPrereqs`;
    if (!Array.isArray(list)) fail(`${where} must be an array of { "command", "debian" }`);
    for (const [i, entry] of list.entries()) {
      if (!NAME.test(entry?.command ?? '') || !NAME.test(entry?.debian ?? '')) {
        fail(`${where}[${i}] must be { "command": "<program>", "debian": "<package>" } (lower-case names)`);
      }
      const known = byCommand.get(entry.command);
      if (known && known.debian !== entry.debian) {
        fail(`${entry.command} is declared with two Debian packages: ${known.debian} and ${entry.debian}`);
      }
      byCommand.set(entry.command, { command: entry.command, debian: entry.debian });
    }
  }
  return [...byCommand.values()];
}

/** Like `command -v`, without a shell: an executable file of that name in a PATH folder. */
function onPath(command) {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const file = join(folder, command);
    try {
      if (statSync(file).isFile()) {
        accessSync(file, constants.X_OK);
        return true;
      }
    } catch {
      // not here
    }
  }
  return false;
}

/** How to run apt-get as root: directly, through password-less sudo, or not at all (undefined). */
function asRoot() {
  if (process.env.FINAUTH_NO_INSTALL) return undefined;
  if (!onPath('apt-get')) return undefined;
  if (process.getuid?.() === 0) return (args) => ['apt-get', args];
  if (!onPath('sudo')) return undefined;
  // -n: never prompt; a sudo that wants a password counts as "cannot install".
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) return undefined;
  return (args) => ['sudo', ['-n', 'apt-get', ...args]];
}

const root = rootDir(process.argv.slice(2));
const missing = declaredPrereqs(root).filter((p) => !onPath(p.command));
if (missing.length === 0) process.exit(0);

const commands = missing.map((p) => p.command);
const debs = [...new Set(missing.map((p) => p.debian))];
const advice = `the tests need ${commands.join(', ')}: install them with apt-get install ${debs.join(' ')}`;
const apt = asRoot();
if (!apt) fail(advice);

process.stderr.write(`finauth: installing ${debs.join(' ')} (Debian packages) for the tests: ${commands.join(', ')} missing\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...debs]]) {
  const [program, argv] = apt(args);
  const r = spawnSync(program, argv, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (r.status !== 0) fail(`apt-get ${args[0]} failed (exit ${r.status ?? r.signal}); ${advice}`);
}
// Debian's packages may start a system service (redis-server on 6379): the tests start their own
// servers on free ports and never use it.
const still = missing.filter((p) => !onPath(p.command)).map((p) => p.command);
if (still.length > 0) fail(`still missing after apt-get install: ${still.join(', ')}; ${advice}`);
