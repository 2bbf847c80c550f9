import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Dependencies point one way: strategies and the cli depend on core; core knows no strategy; the
 * sandbox depends on no finauth package (it stands in for the banks). Checked on what the source
 * imports, not only on what package.json declares.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const packagesDir = join(root, 'packages');

/** Which finauth packages each package may import. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  sandbox: [],
  'client-auth': ['core'],
  fapi2: ['core', 'client-auth'],
  'client-secret-basic': ['core', 'client-auth'],
  'cache-redis': ['core'],
  'signer-pkcs11': ['core', 'client-auth'],
  'snap-bi': ['core'],
  opentelemetry: ['core'],
  oauth2: ['core', 'client-auth'],
  cli: ['core', 'client-auth', 'fapi2', 'client-secret-basic', 'oauth2', 'snap-bi', 'sandbox'],
};

/** Packages that bind a StrategyFactory: none may import another (shared code goes to client-auth or core). */
const STRATEGIES = ['fapi2', 'client-secret-basic', 'oauth2'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `@finauth-test/*` package a file imports (test support, test plug-ins). */
function importedTestPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](@finauth-test\/[a-z0-9-]+)/g)].map((m) => m[1]!);
}

function importedFinauthPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]@finauth\/([a-z0-9-]+)/g)].map((m) => m[1]!);
}

describe('package dependency direction', () => {
  const packages = readdirSync(packagesDir).filter((name) => statSync(join(packagesDir, name, 'src'), { throwIfNoEntry: false })?.isDirectory());

  it('knows every package in packages/', () => {
    expect(packages.sort()).to.deep.equal(Object.keys(ALLOWED).sort());
  });

  for (const name of Object.keys(ALLOWED)) {
    it(`${name} imports ${ALLOWED[name]!.length ? `only @finauth/${ALLOWED[name]!.join(', @finauth/')}` : 'no finauth package'}`, () => {
      const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const declared = Object.keys({ ...manifest['dependencies'], ...manifest['peerDependencies'] }).filter((d) => d.startsWith('@finauth/'));
      expect(declared.map((d) => d.slice('@finauth/'.length)).sort()).to.deep.equal([...ALLOWED[name]!].sort());
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        for (const imported of importedFinauthPackages(file)) {
          expect(ALLOWED[name], `${file.slice(root.length + 1)} imports @finauth/${imported}`).to.include(imported);
        }
      }
    });
  }

  it('core and the strategies know no PKCS#11: a signer type plugs in through DI only', () => {
    for (const name of Object.keys(ALLOWED).filter((n) => n !== 'signer-pkcs11')) {
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        expect(code, `${file.slice(root.length + 1)} mentions PKCS#11`).to.not.match(/pkcs11|pkcs#11/i);
      }
    }
  });

  it('no strategy package imports another strategy package (shared client authentication lives in @finauth/client-auth)', () => {
    for (const name of STRATEGIES) {
      const others = STRATEGIES.filter((s) => s !== name);
      for (const file of [...sourceFiles(join(packagesDir, name, 'src')), ...sourceFiles(join(packagesDir, name, 'test'))]) {
        for (const imported of importedFinauthPackages(file)) expect(others, `${file.slice(root.length + 1)} imports @finauth/${imported}`).to.not.include(imported);
      }
    }
  });

  it('no package source imports test support: @finauth-test/* is for tests only (a devDependency)', () => {
    for (const name of packages) {
      const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const shipped = Object.keys({ ...manifest['dependencies'], ...manifest['peerDependencies'], ...manifest['optionalDependencies'] });
      expect(shipped.filter((d) => d.startsWith('@finauth-test/')), `${name}/package.json`).to.deep.equal([]);
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) expect(importedTestPackages(file), file.slice(root.length + 1)).to.deep.equal([]);
    }
  });

  it('the shared test support depends on the sandbox and core only, and the sandbox does not use it (the sandbox depends on no finauth package)', () => {
    const supportDir = join(root, 'test', 'packages', 'support');
    for (const file of sourceFiles(join(supportDir, 'src'))) {
      for (const imported of importedFinauthPackages(file)) expect(['core', 'sandbox'], `${file.slice(root.length + 1)} imports @finauth/${imported}`).to.include(imported);
      expect(importedTestPackages(file), file.slice(root.length + 1)).to.deep.equal([]);
    }
    const sandboxManifest = JSON.parse(readFileSync(join(packagesDir, 'sandbox', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys({ ...sandboxManifest['devDependencies'] }).filter((d) => d.startsWith('@finauth'))).to.deep.equal([]);
    for (const file of sourceFiles(join(packagesDir, 'sandbox', 'test'))) expect(importedTestPackages(file), file.slice(root.length + 1)).to.deep.equal([]);
  });

  it('every workspace package under test/ is private: never packed or published', () => {
    for (const group of ['packages', 'plugins']) {
      const dir = join(root, 'test', group);
      for (const name of readdirSync(dir)) {
        const manifest = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) as { name: string; private?: boolean };
        expect(manifest.private, `test/${group}/${name}/package.json "private"`).to.equal(true);
        expect(manifest.name, `test/${group}/${name}`).to.match(/^@finauth-test\//);
      }
    }
  });

  it('core names no strategy: no strategy kind appears in its source', () => {
    const kinds = ['fapi2', 'client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'snap_bi'];
    for (const file of sourceFiles(join(packagesDir, 'core', 'src'))) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const kind of kinds) expect(code, `${file.slice(root.length + 1)} mentions ${kind}`).to.not.match(new RegExp(`['"\`]${kind}['"\`]`));
    }
  });
});
