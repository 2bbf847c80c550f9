import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Sandbox } from '@finauth/sandbox';
import { demoProviders } from '../demo/demoProviders.js';

/**
 * Writes `finauth.json` for the running sandbox into `dir`, with the PKI files it references copied
 * to `dir/certs` and referenced relatively (`file:certs/transport.pem`), as a user's own config
 * would be: the folder is self-contained while the sandbox runs.
 * @returns the config file's path
 */
export function writeSandboxConfig(sb: Sandbox, dir: string): string {
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  const copied = new Map<string, string>();
  const relocate = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('file:')) {
      const source = value.slice(5);
      let name = copied.get(source);
      if (name === undefined) {
        name = uniqueName(basename(source), new Set(copied.values()));
        copyFileSync(source, join(certs, name));
        copied.set(source, name);
      }
      return `file:certs/${name}`;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relocate(v)]));
    }
    return value;
  };
  const config = { providers: demoProviders(sb).map((p) => relocate(p.config)) };
  const file = join(dir, 'finauth.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${i}-${name}`)) return `${i}-${name}`;
}
