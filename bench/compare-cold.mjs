#!/usr/bin/env node
// Quick A/B of the cold path while optimising: finauth against the bare baseline (and openid-client
// with --all), alternating rounds. `node bench/compare-cold.mjs [alg] [n] [rounds] [--all]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePki } from '@finauth/sandbox';
import { bareClient, finauthClient, material, openidClient } from './lib/clients.mjs';
import { alternate, concurrentRate, sequentialRate } from './lib/measure.mjs';
import { startTokenServer } from './lib/serverControl.mjs';

const [alg = 'ES256', nArg = '1000', roundsArg = '5'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const all = process.argv.includes('--all');
const conc = process.argv.includes('--conc');
const dir = mkdtempSync(join(tmpdir(), 'finauth-cmp-'));
const pki = await generatePki(dir);
const server = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
const m = material(pki, alg);
const clients = [await finauthClient(server.origin, m), await bareClient(server.origin, m)];
if (all) clients.push(await openidClient(server.origin, m));
for (const c of clients) for (let i = 0; i < 200; i++) await c.acquire(0);
const n = Number(nArg);
const r = await alternate(clients, Number(roundsArg), (c) => (conc ? concurrentRate(c, n, 16) : sequentialRate(c, n)));
const f = r.finauth.median;
console.log(alg, conc ? '16 in flight' : 'sequential', Object.entries(r).map(([k, v]) => `${k}=${Math.round(v.median)} ${JSON.stringify(v.samples)} gc ${(100 * v.gcShare).toFixed(1)}%`).join('  '), `finauth/bare=${(f / r.bare.median).toFixed(3)}`);
for (const c of clients) await c.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
