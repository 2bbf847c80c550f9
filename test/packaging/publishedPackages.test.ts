import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { listFiles, publishedPackages, tarballProblems } from './packageFiles.js';
import { appFiles, templateProvider } from './appPrograms.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const packages = publishedPackages(root);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command, asynchronously: the sandbox the programs talk to runs in this process. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 240_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, timeout, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
async function ok(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await run(command, args, cwd, env);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}
const npmInstall = (cwd: string, specs: readonly string[]): Promise<string> => ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], cwd);

/**
 * The packages as users get them: `npm pack` of every package under packages/, installed from the
 * tarballs (dependencies from the registry, through npm's cache) into empty apps outside the
 * repository. There an ES module program and a CommonJS program get tokens from the sandbox, a
 * strict TypeScript program type-checks against the published types (skipLibCheck off), the
 * strategy template is built as an outside package and registered through the API and the CLI
 * config, and the CLI installed alone pulls no server stack.
 */
describe('published packages (npm pack, installed outside the repository)', function () {
  this.timeout(900_000);
  let work: string;
  let sb: Sandbox;
  const tarball = new Map<string, string>();
  const unpacked = new Map<string, { dir: string; files: string[] }>();
  let app: string;
  let cliAlone: string;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await step();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'finauth-pack-'));
    sb = await startSandbox();
    // 1. Pack every package (one npm process), and unpack each tarball to look inside.
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed = JSON.parse(await timed('pack', () => ok('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.map((p) => p.dir)], root))) as Array<{ name: string; filename: string }>;
    for (const p of packed) {
      const file = join(tarballs, p.filename.replace(/^@/, '').replace(/\//, '-'));
      tarball.set(p.name, existsSync(file) ? file : join(tarballs, p.filename));
      const dir = join(work, 'unpacked', p.name);
      mkdirSync(dir, { recursive: true });
      await ok('tar', ['-xzf', tarball.get(p.name)!, '-C', dir, '--strip-components=1'], work);
      unpacked.set(p.name, { dir, files: listFiles(dir) });
    }
    const finauthSpec = (name: string): string => `file:${tarball.get(name)}`;

    // 2. The cli alone, as a service installs it for `token` and `doctor` (in parallel with 3).
    cliAlone = join(work, 'cli-alone');
    mkdirSync(cliAlone);
    writeFileSync(join(cliAlone, 'package.json'), JSON.stringify({ name: 'cli-alone', private: true }));
    // The cli and the finauth packages it needs (dependencies and required peers, transitively), as
    // tarballs: discovered from the manifests, so a new package the cli needs is included.
    const needed = new Set<string>(['@finauth/cli']);
    for (const name of needed) {
      const manifest = JSON.parse(readFileSync(join(unpacked.get(name)!.dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };
      const peers = Object.keys(manifest.peerDependencies ?? {}).filter((p) => manifest.peerDependenciesMeta?.[p]?.optional !== true);
      for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...peers]) if (tarball.has(dep)) needed.add(dep);
    }
    const cliDeps = [...needed].map((n) => tarball.get(n)!);
    const cliAloneInstalled = timed('cli-alone install', () => npmInstall(cliAlone, cliDeps));
    cliAloneInstalled.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled

    // 3. The strategy template, copied out of the repository as a user would, its @finauth
    //    dependencies pointed at the tarballs (the registry's role), installed, built and packed.
    //    (Its own tests run in the repository's `npm test`.)
    const template = join(work, 'finauth-mybank');
    cpSync(join(root, 'examples', 'strategy-template'), template, { recursive: true, filter: (src) => !/(node_modules|dist|dist-test)$/.test(src) });
    const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) if (name.startsWith('@finauth/')) manifest[field]![name] = finauthSpec(name);
    }
    writeFileSync(join(template, 'package.json'), JSON.stringify(manifest, null, 2));
    await timed('template install', () => npmInstall(template, []));
    await timed('template build', () => ok('npx', ['tsc', '-p', 'tsconfig.json'], template));
    const templateTarball = join(tarballs, (JSON.parse(await ok('npm', ['pack', '--json', '--pack-destination', tarballs], template)) as Array<{ filename: string }>)[0]!.filename.replace(/^@/, '').replace(/\//, '-'));

    // 4. An app with every package and the template.
    app = join(work, 'app');
    mkdirSync(app);
    const files = appFiles(sb, templateProvider(sb));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(app, name), content);
    await timed('app install', () => npmInstall(app, [...tarball.values(), templateTarball, '@types/node@^20.19.0']));

    await cliAloneInstalled;
    // The shipped strategies only: no "strategies" to load.
    const { strategies: _, providers } = JSON.parse(files['finauth.json']!) as { strategies: unknown; providers: Array<{ id: string }> };
    writeFileSync(join(cliAlone, 'finauth.json'), JSON.stringify({ providers: providers.filter((p) => p.id !== 'mybank') }));
  });

  after(async () => {
    await sb?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    // The cost of this suite, for .ci/run's time budget.
    console.log(`      packaging steps (ms): ${JSON.stringify(timings)}`);
  });

  it('discovers every package under packages/', () => {
    expect(packages.map((p) => p.name)).to.include.members(['@finauth/core', '@finauth/fapi2', '@finauth/client-secret-basic', '@finauth/cli', '@finauth/sandbox', '@finauth/cache-redis']);
    expect([...tarball.keys()].sort()).to.deep.equal(packages.map((p) => p.name).sort());
  });

  for (const { name } of packages) {
    it(`${name}: the tarball holds dist with types, README and the Apache-2.0 LICENSE; no tests, build caches or CI scripts; every source map has its sources`, () => {
      const { dir, files } = unpacked.get(name)!;
      expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.d.ts')), 'types in dist').to.equal(true);
      expect(tarballProblems(dir, files)).to.deep.equal([]);
    });
  }

  it('an ES module program gets a token through every strategy, the outside template included', async () => {
    const r = await run(process.execPath, ['esm.mjs'], app);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ 'ofp-private-key-jwt': 'Bearer', 'ofp-tls-client-auth': 'Bearer', 'bnp-gateway': 'Bearer', mybank: 'Bearer' });
  });

  it('a CommonJS program (require) gets a token', async () => {
    const r = await run(process.execPath, ['cjs.cjs'], app);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ 'ofp-private-key-jwt': 'Bearer', 'bnp-gateway': 'Bearer', mybank: 'Bearer' });
    expect(r.stderr, 'no warning about requiring ES modules').to.equal('');
  });

  it('a strict TypeScript program type-checks against the published types (skipLibCheck: false), a typo field rejected', async () => {
    const r = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    expect(r.code, `${r.stdout}${r.stderr}`).to.equal(0);
  });

  it('the CLI loads the template named in the config ("strategies") and gets a token through it', async () => {
    const r = await run(join(app, 'node_modules', '.bin', 'finauth'), ['token', 'mybank', '--config', 'finauth.json'], app);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.have.length.greaterThan(10);
    const doctor = await run(join(app, 'node_modules', '.bin', 'finauth'), ['doctor', '--config', 'finauth.json'], app);
    expect(doctor.code, doctor.stdout).to.equal(0);
  });

  it('the CLI installed alone: no sandbox server stack, token works, demo and sandbox say in one line what to install', async () => {
    const installed = readdirSync(join(cliAlone, 'node_modules'));
    for (const heavy of ['oidc-provider', 'koa', '@koa']) expect(installed, `${heavy} must not be installed`).to.not.include(heavy);
    expect(existsSync(join(cliAlone, 'node_modules', '@finauth', 'sandbox'))).to.equal(false);
    const bin = join(cliAlone, 'node_modules', '.bin', 'finauth');
    const token = await run(bin, ['token', 'bnp-gateway', '--config', 'finauth.json'], cliAlone);
    expect(token.code, token.stderr).to.equal(0);
    for (const command of ['demo', 'sandbox']) {
      const r = await run(bin, [command], cliAlone);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal(`finauth ${command}: needs the sandbox servers, which are not installed: npm install @finauth/sandbox\n`);
    }
  });
});
