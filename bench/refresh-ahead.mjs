#!/usr/bin/env node
// `node bench/refresh-ahead.mjs` (after `npm run build`): the refresh-ahead figures alone, the bank
// taking 200 ms. Also part of `npm run bench`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePki } from '@finauth/sandbox';
import { material } from './lib/clients.mjs';
import { refreshAhead } from './lib/refreshAhead.mjs';
import { startTokenServer } from './lib/serverControl.mjs';

const dir = mkdtempSync(join(tmpdir(), 'finauth-bench-'));
const pki = await generatePki(dir);
const server = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert }, { delayMs: 200 });
try {
  const result = await refreshAhead(server.origin, material(pki, 'ES256'), process.env.BENCH_QUICK === '1' ? { crossings: 5, hitsPerRound: 500 } : {});
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
