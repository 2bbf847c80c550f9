#!/usr/bin/env node
// Signing throughput: a key in SoftHSM2 through @finauth/signer-pkcs11 against the same kind of key
// in process (jose over a node:crypto KeyObject, what finauth's JoseSigner does), in one run, as
// ratios. Also one session (every signature serialised) against a pool of sessions.
// Usage: node signing.mjs [signaturesPerRound=400] [rounds=5]   (prints JSON on stdout)
// Needs softhsm2 (apt-get install softhsm2) and `npm run build`.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const MODULE = process.env.FINAUTH_BENCH_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';
const perRound = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 5);
const IN_FLIGHT = 16;

// A token directory of the bench's own, set before the module is first loaded.
const dir = mkdtempSync(join(tmpdir(), 'finauth-bench-hsm-'));
mkdirSync(join(dir, 'tokens'));
writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
const pin = randomBytes(6).toString('hex');
const util = (args) => execFileSync('softhsm2-util', args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
// Two tokens holding the same keys: one process logs in once per token and pools its sessions, so
// the one-session and the four-session signer each need a token of their own to run side by side.
for (const label of ['bench-1', 'bench-4']) util(['--init-token', '--free', '--label', label, '--so-pin', randomBytes(6).toString('hex'), '--pin', pin]);
const keys = {
  PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
for (const [alg, pair] of Object.entries(keys)) {
  const file = join(dir, `${alg}.pem`);
  writeFileSync(file, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  for (const label of ['bench-1', 'bench-4']) util(['--import', file, '--token', label, '--label', alg, '--id', alg === 'PS256' ? '01' : '02', '--pin', pin]);
  rmSync(file);
}

const { openPkcs11Signer, Pkcs11SignerConfig } = await import('../dist/index.js');
const { validateConfig } = await import('@finauth/core');

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const claims = (n) => ({ iss: 'client', sub: 'client', aud: 'https://as.example', jti: `j${n}`, iat: 1_700_000_000, exp: 1_700_000_060 });

/**
 * Signatures per second with `inFlight` callers each keeping one signature going, and this
 * process's CPU time per signature (user + system, every thread): the machine may be shared, and
 * CPU time per signature moves far less with other load than the rate does.
 */
async function rate(sign, n, inFlight) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < n) await sign(claims(next++));
  }));
  const ms = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (n * 1000) / ms, cpuMicrosPerSignature: (cpu.user + cpu.system) / n };
}

const results = { date: new Date().toISOString(), node: process.version, cores: cpus().length, perRound, rounds, inFlight: IN_FLIGHT, algs: {} };
const NAMES = ['inProcess', 'hsmOneSession', 'hsmFourSessions'];
try {
  for (const alg of ['PS256', 'ES256']) {
    const hsm = (tokenLabel, sessions) => {
      const parsed = validateConfig(Pkcs11SignerConfig, { type: 'pkcs11', module: MODULE, tokenLabel, pin, keyLabel: alg, sessions });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      return openPkcs11Signer(parsed.value, { alg, kid: 'k1' });
    };
    const inProcessKey = keys[alg].privateKey;
    const contenders = {
      inProcess: { sign: (c) => new SignJWT(c).setProtectedHeader({ alg, kid: 'k1' }).sign(inProcessKey), close: async () => {} },
      hsmOneSession: hsm('bench-1', 1),
      hsmFourSessions: hsm('bench-4', 4),
    };
    const samples = Object.fromEntries(NAMES.map((n) => [n, { sequential: [], concurrent: [], cpuSequential: [], cpuConcurrent: [] }]));
    for (const name of NAMES) await rate((c) => contenders[name].sign(c, { kid: 'k1' }), 50, IN_FLIGHT);
    for (let r = 0; r < rounds; r++) {
      // Rotate who goes first: drift of a shared machine spreads over all three.
      for (const name of NAMES.map((_, i) => NAMES[(i + r) % NAMES.length])) {
        const sign = (c) => contenders[name].sign(c, { kid: 'k1' });
        const seq = await rate(sign, perRound, 1);
        const conc = await rate(sign, perRound, IN_FLIGHT);
        samples[name].sequential.push(seq.perSecond);
        samples[name].cpuSequential.push(seq.cpuMicrosPerSignature);
        samples[name].concurrent.push(conc.perSecond);
        samples[name].cpuConcurrent.push(conc.cpuMicrosPerSignature);
      }
    }
    await Promise.all(NAMES.map((n) => contenders[n].close()));
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([f, xs]) => [f, Math.round(median(xs))]))]));
    const ratio = (a, b) => +(a / b).toFixed(2);
    results.algs[alg] = {
      medians: m,
      ratios: {
        hsmOneSessionVsInProcess: { sequential: ratio(m.hsmOneSession.sequential, m.inProcess.sequential), concurrent: ratio(m.hsmOneSession.concurrent, m.inProcess.concurrent), cpuPerSignature: ratio(m.hsmOneSession.cpuSequential, m.inProcess.cpuSequential) },
        hsmFourSessionsVsInProcess: { sequential: ratio(m.hsmFourSessions.sequential, m.inProcess.sequential), concurrent: ratio(m.hsmFourSessions.concurrent, m.inProcess.concurrent), cpuPerSignature: ratio(m.hsmFourSessions.cpuSequential, m.inProcess.cpuSequential) },
        fourSessionsVsOne: { concurrent: ratio(m.hsmFourSessions.concurrent, m.hsmOneSession.concurrent), cpuPerSignatureConcurrent: ratio(m.hsmFourSessions.cpuConcurrent, m.hsmOneSession.cpuConcurrent) },
      },
    };
    process.stderr.write(`${alg}: ${JSON.stringify(results.algs[alg])}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
