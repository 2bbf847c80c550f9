import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function markdown(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('dist') || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) markdown(full, out);
    else if (name.endsWith('.md')) out.push(full);
  }
  return out;
}

const documents = [join(root, 'README.md'), ...markdown(join(root, 'docs')), ...['packages', 'examples'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p, 'README.md')).filter(existsSync))];

/**
 * What the documentation tells a reader to open exists: every repository path it cites
 * (`packages/...`, `test/...`, `docs/...`, `scripts/...`, `bench/...`, `examples/...`) and every
 * relative link. Documents written from sources outside the repository name those sources
 * (the OFM developer portal, Section 4), never private file names.
 */
describe('documentation', () => {
  for (const file of documents) {
    const name = relative(root, file);
    it(`${name}: every cited repository path and relative link exists`, () => {
      const text = readFileSync(file, 'utf8');
      const missing: string[] = [];
      for (const [, path] of text.matchAll(/`((?:packages|test|docs|scripts|bench|examples)\/[A-Za-z0-9_.\/*-]+)`/g)) {
        const clean = path!.replace(/[.,:;]+$/, '');
        if (clean.includes('*')) continue;
        if (!existsSync(join(root, clean))) missing.push(clean);
      }
      for (const [, link] of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(join(dirname(file), link!))) missing.push(link!);
      }
      expect(missing).to.deep.equal([]);
    });

    it(`${name}: cites no document that is not in the repository ("seed 00x", "DESIGN.md")`, () => {
      expect(readFileSync(file, 'utf8')).to.not.match(/\bseeds? 00\d|DESIGN\.md/);
    });
  }
});
