#!/usr/bin/env node
// Which HTTP client for finauth's own token request: node:https (https.request on a keep-alive
// agent) against undici's `request` (an undici Agent with the same TLS material), each posting the
// same pre-built token request body to the bench token server, alternating rounds, sequential and
// 16 in flight. `node bench/compare-http-clients.mjs [n] [rounds]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { generatePki } from '@finauth/sandbox';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { material } from './lib/clients.mjs';
import { alternate, concurrentRate, sequentialRate } from './lib/measure.mjs';
import { startTokenServer } from './lib/serverControl.mjs';

const [nArg = '2000', roundsArg = '5'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'finauth-http-'));
const pki = await generatePki(dir);
const server = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
const m = material(pki, 'ES256');
const url = `${server.origin}/mtls/token`;
const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'accounts', client_id: 'bench', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'x'.repeat(600) }).toString();
const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

const agent = new Agent({ keepAlive: true, cert: m.cert, key: m.key, ca: m.ca, maxSockets: 64 });
const nodeHttps = {
  name: 'node:https',
  acquire: () => new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).access_token));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  }),
};
const dispatcher = new UndiciAgent({ connect: { cert: m.cert, key: m.key, ca: m.ca }, connections: 64 });
const undici = {
  name: 'undici.request',
  acquire: async () => {
    const res = await undiciRequest(url, { method: 'POST', dispatcher, headers, body });
    return (await res.body.json()).access_token;
  },
};
const clients = [nodeHttps, undici];
for (const c of clients) for (let i = 0; i < 300; i++) await c.acquire();
const n = Number(nArg);
const seq = await alternate(clients, Number(roundsArg), (c) => sequentialRate(c, n));
const conc = await alternate(clients, Number(roundsArg), (c) => concurrentRate(c, n, 16));
const line = (label, r) => `${label}: ${Object.entries(r).map(([k, v]) => `${k} ${Math.round(v.median)}/s`).join(', ')}, undici/node = ${(r['undici.request'].median / r['node:https'].median).toFixed(2)}`;
console.log(line('sequential', seq));
console.log(line('16 in flight', conc));
agent.destroy();
await dispatcher.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
