import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '@finauth/sandbox';
import { demoProviders } from '../../src/demo/demoProviders.js';

/** A temporary folder for config files; `remove()` deletes it. */
export function tempFolder(): { dir: string; write(name: string, content: unknown): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cli-test-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The demo's four providers against `sb`, by id, as a config file would hold them. */
export function sandboxProviders(sb: Sandbox): Record<'pkjwt' | 'tlsAuth' | 'bnp' | 'snap', Record<string, unknown> & { id: string }> {
  const [pkjwt, tlsAuth, bnp, snap] = demoProviders(sb).map((p) => ({ ...p.config }));
  return { pkjwt: pkjwt!, tlsAuth: tlsAuth!, bnp: bnp!, snap: snap! };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
