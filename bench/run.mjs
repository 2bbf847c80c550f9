#!/usr/bin/env node
// `npm run bench`: finauth against openid-client 6 and a bare node:https + jose baseline, in one run,
// against a token server in its own process on 127.0.0.1. Writes bench/results/<date>.json and
// latest.json, and the table in docs/performance.md. BENCH_QUICK=1 runs a short smoke version.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePki } from '@finauth/sandbox';
import { CLIENTS, material } from './lib/clients.mjs';
import { cacheHit } from './lib/cacheHit.mjs';
import { dpopCost } from './lib/dpopCost.mjs';
import { alternate, concurrentRate, sequentialRate } from './lib/measure.mjs';
import { writeReport } from './lib/report.mjs';
import { startTokenServer } from './lib/serverControl.mjs';
import { stampede } from './lib/stampede.mjs';
import { refreshAhead } from './lib/refreshAhead.mjs';
import { telemetryCost } from './lib/telemetryCost.mjs';

const quick = process.env.BENCH_QUICK === '1';
const N = quick ? { warm: 50, seq: 100, conc: 200, rounds: 3, handshakes: 200 } : { warm: 300, seq: 600, conc: 2400, rounds: 12, handshakes: 1000 };
const log = (line) => process.stderr.write(`${line}\n`);

const dir = mkdtempSync(join(tmpdir(), 'finauth-bench-'));
const pki = await generatePki(dir);
const server = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert });
const results = { date: new Date().toISOString(), node: process.version, machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${process.platform} ${process.arch}` }, quick, coldMethod: { rounds: N.rounds, sequentialPerRound: N.seq, concurrentPerRound: N.conc }, cold: {}, handshakes: {}, };

try {
  for (const alg of ['PS256', 'ES256']) {
    const m = material(pki, alg);
    log(`cold acquisition, ${alg}: sequential`);
    const seqClients = await Promise.all(Object.values(CLIENTS).map((make) => make(server.origin, m)));
    for (const c of seqClients) for (let i = 0; i < N.warm; i++) await c.acquire(0);
    const sequential = await alternate(seqClients, N.rounds, (c) => sequentialRate(c, N.seq));
    await Promise.all(seqClients.map((c) => c.close()));
    log(`cold acquisition, ${alg}: 16 in flight`);
    const concClients = await Promise.all(Object.values(CLIENTS).map((make) => make(server.origin, m)));
    for (const c of concClients) await concurrentRate(c, N.warm, 16);
    const concurrent = await alternate(concClients, N.rounds, (c) => concurrentRate(c, N.conc, 16));
    await Promise.all(concClients.map((c) => c.close()));
    results.cold[alg] = { sequential, concurrent };
  }

  log('TLS handshakes per 1,000 sequential acquisitions (fresh client, discovery included)');
  const m = material(pki, 'ES256');
  for (const [name, make] of Object.entries(CLIENTS)) {
    await server.reset();
    const c = await make(server.origin, m);
    for (let i = 0; i < N.handshakes; i++) await c.acquire(0);
    const { handshakes, tokenRequests } = await server.stats();
    await c.close();
    results.handshakes[name] = { acquisitions: N.handshakes, tokenRequests, handshakes };
  }

  log('cache hit');
  results.cacheHit = await cacheHit(server.origin, m, quick ? { iterations: 20_000, rounds: 3 } : {});
  log('telemetry cost on the cache hit');
  results.telemetryCost = await telemetryCost(server.origin, m, quick ? { iterations: 20_000, rounds: 3 } : {});
  log('resource call with and without DPoP');
  results.dpopCost = await dpopCost(server.origin, m, quick ? { calls: 300, rounds: 3 } : {});
  log('stampede');
  results.stampede = await stampede(server, server.origin, m, quick ? { callers: 2_000, rounds: 1 } : {});

  log('scale: 1,000 providers');
  results.scale = {};
  for (const kind of ['fapi2', 'basic']) {
    const r = spawnSync(process.execPath, ['--expose-gc', new URL('./lib/scale.mjs', import.meta.url).pathname, JSON.stringify(pki), '1000', kind], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scale.mjs failed: ${r.stderr}`);
    results.scale[kind] = JSON.parse(r.stdout);
  }

  log('refresh ahead: getToken across the refresh point, the bank taking 200 ms');
  const slowBank = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert }, { delayMs: 200 });
  try {
    results.refreshAhead = await refreshAhead(slowBank.origin, m, quick ? { crossings: 5, hitsPerRound: 500 } : {});
  } finally {
    await slowBank.stop();
  }

  log('cache-redis: cross-process stampede');
  results.redisStampede = await redisStampede();

  log('signer-pkcs11: HSM signing throughput against an in-process key');
  results.hsmSigning = await hsmSigning();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
const json = JSON.stringify(results, null, 2);
if (!quick) writeFileSync(new URL(`${results.date.slice(0, 10)}.json`, out), json);
writeFileSync(new URL(quick ? 'quick.json' : 'latest.json', out), json);
if (!quick) writeReport(results, new URL('../docs/performance.md', import.meta.url));
process.stdout.write(`${json}\n`);

/** packages/signer-pkcs11/bench/signing.mjs (its own process: SoftHSM reads SOFTHSM2_CONF once), when softhsm2 is installed. */
function hsmSigning() {
  if (spawnSync('softhsm2-util', ['--version']).status !== 0) return Promise.resolve({ skipped: 'softhsm2 is not installed' });
  const script = new URL('../packages/signer-pkcs11/bench/signing.mjs', import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(process.execPath, [script, quick ? '100' : '400', quick ? '3' : '7'], { encoding: 'utf8', timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) resolve({ skipped: `failed: ${String(stderr || error.message).slice(0, 300)}` });
      else resolve(JSON.parse(stdout));
    });
  });
}

/** packages/cache-redis/bench/stampede.mjs, when redis-server is installed and the tests are built. */
function redisStampede() {
  if (spawnSync('redis-server', ['--version']).status !== 0) return Promise.resolve({ skipped: 'redis-server is not installed' });
  const script = new URL('../packages/cache-redis/bench/stampede.mjs', import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(process.execPath, [script, '4', quick ? '50' : '200', quick ? '2' : '5'], { encoding: 'utf8', timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) resolve({ skipped: `failed: ${String(stderr || error.message).slice(0, 300)}` });
      else resolve(JSON.parse(stdout));
    });
  });
}
