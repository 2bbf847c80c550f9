#!/usr/bin/env node
// Cross-process stampede figure: P processes × C concurrent cold callers for one provider and scope,
// with the shared Redis cache and without it (each process's memory cache). Prints JSON.
// Needs the package and its tests built (`npx tsc -b packages/cache-redis/test/tsconfig.json`) and
// redis-server on the PATH. Usage: node packages/cache-redis/bench/stampede.mjs [processes] [callers] [rounds]
import { randomBytes } from 'node:crypto';

const here = new URL('../dist-test/test/support/', import.meta.url);
const { startWorld } = await import(new URL('fixture.js', here).href);
const { forkChild, within } = await import(new URL('childProcess.js', here).href);

const processes = Number(process.argv[2] ?? 4);
const callers = Number(process.argv[3] ?? 200);
const rounds = Number(process.argv[4] ?? 5);
const bankLatencyMs = 100;

const world = await startWorld();
world.tokens.mode = { kind: 'ok', delayMs: bankLatencyMs };
const key = randomBytes(32).toString('base64');

async function round(cache) {
  const keyPrefix = `bench${randomBytes(4).toString('hex')}:`;
  const before = world.tokens.requests.length;
  const children = Array.from({ length: processes }, () =>
    forkChild({ redisUrl: world.redis.url, tokenEndpoint: world.tokens.url, caPath: world.caPath, key, keyPrefix, leaseMs: 5000, callers, cache }));
  await within(Promise.all(children.map((c) => c.ready)), 30_000, 'children ready');
  const started = process.hrtime.bigint();
  for (const c of children) c.go();
  const results = await within(Promise.all(children.map((c) => c.result)), 60_000, 'results');
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  await Promise.all(children.map((c) => c.exited));
  const errors = results.reduce((n, r) => n + r.errors.length, 0);
  const tokens = new Set(results.flatMap((r) => r.tokens)).size;
  return { tokenRequests: world.tokens.requests.length - before, distinctTokens: tokens, errors, wallMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const shared = [];
  const memory = [];
  for (let i = 0; i < rounds; i++) {
    shared.push(await round('redis'));
    memory.push(await round('memory'));
  }
  const summary = (rs) => ({
    tokenRequestsPerRound: [...new Set(rs.map((r) => r.tokenRequests))],
    distinctTokensPerRound: [...new Set(rs.map((r) => r.distinctTokens))],
    errors: rs.reduce((n, r) => n + r.errors, 0),
    medianTimeToAllTokensMs: Math.round(median(rs.map((r) => r.wallMs))),
  });
  console.log(JSON.stringify({
    bench: 'cross-process stampede',
    processes, callersPerProcess: callers, rounds, bankLatencyMs,
    node: process.version,
    withRedisCache: summary(shared),
    withoutSharedCache: summary(memory),
  }, null, 2));
} finally {
  await world.stop();
}
