import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const packagesDir = join(root, 'packages');

/** Ways to switch certificate or host name checks off, in any package (a flag, the env variable, a custom identity check). */
const DISABLES_CHECKS = /rejectUnauthorized\s*[:=]\s*false|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity\s*[:=]/;
/**
 * In packages that make client connections for users, `rejectUnauthorized` may only be the literal
 * `true`: a computed value would be a switch. The sandbox is exempt: it plays the bank, and its
 * server-side `rejectUnauthorized` decides which client certificates it accepts.
 */
const NOT_LITERAL_TRUE = /rejectUnauthorized\s*[:=](?!\s*true\b)/;
const SERVER_ONLY = new Set(['sandbox']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('nothing turns certificate or host name checks off', () => {
  const packages = readdirSync(packagesDir).filter((name) => statSync(join(packagesDir, name, 'src'), { throwIfNoEntry: false })?.isDirectory());

  it('the patterns catch what they are for', () => {
    for (const bad of ['{ rejectUnauthorized: false }', 'agent.rejectUnauthorized = false', "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0'", 'checkServerIdentity: () => undefined']) {
      expect(bad, bad).to.match(DISABLES_CHECKS);
    }
    expect('rejectUnauthorized: options.verify').to.match(NOT_LITERAL_TRUE);
    expect('rejectUnauthorized: true').to.not.match(NOT_LITERAL_TRUE);
  });

  it('scans the source of every package, including where the check is set on purpose', () => {
    expect(packages).to.include.members(['core', 'fapi2', 'client-secret-basic', 'cli', 'sandbox']);
    const agentOptions = readFileSync(join(packagesDir, 'core', 'src', 'http', 'tlsAgentOptions.ts'), 'utf8');
    expect(agentOptions).to.match(/rejectUnauthorized:\s*true/);
  });

  it('no package source sets rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED or checkServerIdentity', () => {
    const offenders = packages.flatMap((pkg) => sourceFiles(join(packagesDir, pkg, 'src')).filter((file) => DISABLES_CHECKS.test(readFileSync(file, 'utf8'))));
    expect(offenders.map((f) => f.slice(root.length + 1))).to.deep.equal([]);
  });

  it('client packages set rejectUnauthorized only to the literal true', () => {
    const offenders = packages
      .filter((pkg) => !SERVER_ONLY.has(pkg))
      .flatMap((pkg) => sourceFiles(join(packagesDir, pkg, 'src')).filter((file) => NOT_LITERAL_TRUE.test(readFileSync(file, 'utf8'))));
    expect(offenders.map((f) => f.slice(root.length + 1))).to.deep.equal([]);
  });
});
