import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every package under packages/ that is published (not private): discovered, so new packages are checked too. */
export function publishedPackages(root: string): Array<{ dir: string; name: string }> {
  const base = join(root, 'packages');
  return readdirSync(base)
    .sort()
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
    .filter((p) => p.manifest.private !== true)
    .map((p) => ({ dir: p.dir, name: p.manifest.name }));
}

/** Every file under `dir`, as paths relative to it. */
export function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) listFiles(full, base, out);
    else out.push(relative(base, full));
  }
  return out;
}

/**
 * What is wrong with an unpacked tarball, one line each, saying what to change. `files` lists
 * every file in it; the package folder is `dir`.
 */
export function tarballProblems(dir: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  const has = (path: string): boolean => files.includes(path);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown>; types?: string; license?: string };
  if (manifest.license !== 'Apache-2.0') problems.push('package.json "license" must be "Apache-2.0"');
  if (!has('README.md')) problems.push('no README.md: add one (what the package does, install, a short example)');
  if (!has('LICENSE')) problems.push('no LICENSE: copy the repository root LICENSE (Apache-2.0) into the package folder');
  else if (!/Apache License\s+Version 2\.0, January 2004/.test(readFileSync(join(dir, 'LICENSE'), 'utf8'))) problems.push('LICENSE is not the Apache-2.0 text');
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const { types, default: main } = target as { types?: string; default?: string };
    if (!types || !has(relative('.', types))) problems.push(`exports["${subpath}"].types (${String(types)}) is not in the tarball`);
    if (!main || !has(relative('.', main))) problems.push(`exports["${subpath}"].default (${String(main)}) is not in the tarball`);
  }
  for (const file of files) {
    if (/(^|\/)(test|tests|dist-test|__tests__)\//.test(file) || /\.test\.(js|ts|d\.ts)$/.test(file)) problems.push(`${file}: tests do not belong in the tarball (list only "dist" and "src" in "files")`);
    if (/\.tsbuildinfo$/.test(file)) problems.push(`${file}: a build cache; add "!dist/**/*.tsbuildinfo" to "files"`);
    if (/\.sh$/.test(file) || /(^|\/)\.ci\//.test(file)) problems.push(`${file}: CI scripts do not belong in the tarball`);
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { sources?: string[]; sourceRoot?: string };
      for (const source of map.sources ?? []) {
        const target = relative(dir, resolve(dir, dirname(file), map.sourceRoot ?? '', source));
        if (!has(target)) problems.push(`${file} points at ${target}, which is not in the tarball: add "src" to "files" (or stop emitting maps)`);
      }
    }
  }
  return [...new Set(problems)];
}
