import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/**
 * scripts/prereqs.mjs, which `npm test` runs first: the system programs declared under
 * `finauth.systemPrereqs` are installed with apt-get when allowed, else the run stops at once with
 * one line naming them. Run as a process with a PATH made for each case: fake `apt-get` and `sudo`
 * record what they were asked and "install" by creating the program.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const script = join(root, 'scripts', 'prereqs.mjs');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'finauth-prereqs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A folder for PATH holding the given fake programs (node scripts). */
function binDir(programs: Record<string, string>): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  for (const [name, body] of Object.entries(programs)) {
    writeFileSync(join(bin, name), `#!${process.execPath}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

const present = "// a program that is there and does nothing\n";

/**
 * A fake apt-get: appends its arguments to `log`, and on `install` creates each package's program
 * (named by `creates`) in its own folder, as the real one would put it on PATH.
 */
function fakeApt(log: string, creates: Record<string, string>, exitCode = 0): string {
  return [
    "const fs = require('node:fs'); const path = require('node:path');",
    `fs.appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + '\\n');`,
    `const creates = ${JSON.stringify(creates)};`,
    "if (process.argv[2] === 'install') for (const deb of process.argv.slice(3)) if (creates[deb]) {",
    `  const file = path.join(path.dirname(process.argv[1]), creates[deb]); fs.writeFileSync(file, '#!/bin/sh\\n'); fs.chmodSync(file, 0o755); }`,
    `process.exit(${exitCode});`,
  ].join('\n');
}
// A password-less sudo: runs the rest of its arguments.
const fakeSudo = "const r = require('node:child_process').spawnSync(process.argv[2] === '-n' ? process.argv[3] : process.argv[2], process.argv.slice(process.argv[2] === '-n' ? 4 : 3), { stdio: 'inherit' }); process.exit(r.status ?? 1);";

function run(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository with two packages declaring three programs (one in both) and a package declaring none. */
function fakeRepo(): string {
  const repo = join(dir, 'repo');
  const pkg = (name: string, manifest: object): void => {
    mkdirSync(join(repo, 'packages', name), { recursive: true });
    writeFileSync(join(repo, 'packages', name, 'package.json'), JSON.stringify(manifest));
  };
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'r', private: true, workspaces: ['packages/*'] }));
  pkg('a', { name: '@x/a', finauth: { systemPrereqs: [{ command: 'fa-server', debian: 'fa-deb' }, { command: 'fb-util', debian: 'fb-deb' }] } });
  pkg('b', { name: '@x/b', finauth: { systemPrereqs: [{ command: 'fb-util', debian: 'fb-deb' }, { command: 'fc-tool', debian: 'fc-deb' }] } });
  pkg('c', { name: '@x/c' });
  return repo;
}

describe('scripts/prereqs.mjs (system programs the tests need)', () => {
  describe('this repository', () => {
    /** Every command the workspace packages declare (other packages may add theirs). */
    const declared = (): { command: string; debian: string }[] => {
      const out = new Map<string, { command: string; debian: string }>();
      for (const folder of ['packages', join('test', 'plugins')]) {
        for (const name of readdirSync(join(root, folder)).sort()) {
          const file = join(root, folder, name, 'package.json');
          if (!existsSync(file)) continue;
          const list = (JSON.parse(readFileSync(file, 'utf8')) as { finauth?: { systemPrereqs?: { command: string; debian: string }[] } }).finauth?.systemPrereqs ?? [];
          for (const p of list) out.set(p.command, p);
        }
      }
      return [...out.values()];
    };

    it('declares redis-server for @finauth/cache-redis, and is silent when every declared program is on PATH', () => {
      const prereqs = declared();
      expect(prereqs).to.deep.include({ command: 'redis-server', debian: 'redis-server' });
      const bin = binDir(Object.fromEntries(prereqs.map((p) => [p.command, present])));
      const r = run([], { PATH: bin });
      expect(r, r.stderr).to.include({ status: 0, stdout: '', stderr: '' });
    });

    it('with nothing on PATH and FINAUTH_NO_INSTALL: exit 1 and exactly one line naming each program', () => {
      const log = join(dir, 'apt.log');
      const bin = binDir({ 'apt-get': fakeApt(log, { 'redis-server': 'redis-server' }), sudo: fakeSudo });
      const r = run([], { PATH: bin, FINAUTH_NO_INSTALL: '1' });
      const prereqs = declared();
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(`finauth: the tests need ${prereqs.map((p) => p.command).join(', ')}: install them with apt-get install ${[...new Set(prereqs.map((p) => p.debian))].join(' ')}\n`);
      expect(r.stderr).to.include('redis-server');
      expect(existsSync(log), 'apt-get was not run').to.equal(false);
    });
  });

  describe('collecting every package', () => {
    it('names each missing program once, and the Debian packages to install, in one line', () => {
      const r = run(['--root', fakeRepo()], { PATH: binDir({ 'fb-util': present }), FINAUTH_NO_INSTALL: '1' });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal('finauth: the tests need fa-server, fc-tool: install them with apt-get install fa-deb fc-deb\n');
    });

    it('exits 0 with no output when every declared program is present', () => {
      const r = run(['--root', fakeRepo()], { PATH: binDir({ 'fa-server': present, 'fb-util': present, 'fc-tool': present }) });
      expect(r).to.include({ status: 0, stdout: '', stderr: '' });
    });

    it('stops with one line when apt-get is not there (and FINAUTH_NO_INSTALL is not set)', () => {
      const r = run(['--root', fakeRepo()], { PATH: binDir({}) });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal('finauth: the tests need fa-server, fb-util, fc-tool: install them with apt-get install fa-deb fb-deb fc-deb\n');
    });

    it('refuses a malformed declaration, naming the package', () => {
      const repo = fakeRepo();
      writeFileSync(join(repo, 'packages', 'c', 'package.json'), JSON.stringify({ name: '@x/c', finauth: { systemPrereqs: [{ command: 'x; rm -rf /', debian: 'x' }] } }));
      const r = run(['--root', repo], { PATH: binDir({}) });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(/^finauth: @x\/c: finauth\.systemPrereqs\[0\] must be \{ "command"/);
      expect(r.stderr.trimEnd().split('\n')).to.have.length(1);
    });
  });

  describe('installing (root, or password-less sudo)', () => {
    it('runs apt-get update once, then one install of the missing packages only, and succeeds', () => {
      const log = join(dir, 'apt.log');
      const bin = binDir({ 'apt-get': fakeApt(log, { 'fa-deb': 'fa-server', 'fc-deb': 'fc-tool' }), sudo: fakeSudo, 'fb-util': present });
      const r = run(['--root', fakeRepo()], { PATH: bin });
      expect(r.status, r.stderr).to.equal(0);
      expect(readFileSync(log, 'utf8')).to.equal('update\ninstall -y --no-install-recommends fa-deb fc-deb\n');
      expect(r.stderr).to.include('installing fa-deb fc-deb');
    });

    it('a failing apt-get ends the run with exit 1 and the line saying what to install', () => {
      const log = join(dir, 'apt.log');
      const bin = binDir({ 'apt-get': fakeApt(log, {}, 100), sudo: fakeSudo });
      const r = run(['--root', fakeRepo()], { PATH: bin });
      expect(r.status).to.equal(1);
      expect(readFileSync(log, 'utf8')).to.equal('update\n');
      expect(r.stderr.trimEnd().split('\n').at(-1)).to.equal('finauth: apt-get update failed (exit 100); the tests need fa-server, fb-util, fc-tool: install them with apt-get install fa-deb fb-deb fc-deb');
    });

    it('a package that installs but does not provide the program is reported, exit 1', () => {
      const log = join(dir, 'apt.log');
      const bin = binDir({ 'apt-get': fakeApt(log, { 'fa-deb': 'fa-server', 'fb-deb': 'fb-util' }), sudo: fakeSudo });
      const r = run(['--root', fakeRepo()], { PATH: bin });
      expect(r.status).to.equal(1);
      expect(r.stderr.trimEnd().split('\n').at(-1)).to.match(/^finauth: still missing after apt-get install: fc-tool; /);
    });
  });
});
