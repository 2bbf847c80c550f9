#!/usr/bin/env node
// Profiles finauth's cold path alone: `node --cpu-prof --cpu-prof-dir=bench/results bench/profile-cold.mjs [alg] [n]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePki } from '@finauth/sandbox';
import { finauthClient, material } from './lib/clients.mjs';
import { startTokenServer } from './lib/serverControl.mjs';

const alg = process.argv[2] ?? 'ES256';
const n = Number(process.argv[3] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'finauth-prof-'));
const pki = await generatePki(dir);
const server = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
const client = await finauthClient(server.origin, material(pki, alg));
const t0 = performance.now();
for (let i = 0; i < n; i++) await client.acquire(0);
console.log(`${alg}: ${Math.round((n * 1000) / (performance.now() - t0))} acquisitions/s`);
await client.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
