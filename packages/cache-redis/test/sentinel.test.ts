import { expect } from 'chai';
import { within, type FinauthChild } from './support/childProcess.js';
import { describeCloseCases } from './support/closeCases.js';
import { newKey, startTokenWorld, uniquePrefix, type TokenWorld } from './support/fixture.js';
import { SENTINEL_NAME, startSentinelGroup, type RedisSentinelGroup } from './support/redisSentinel.js';
import { checkRound, closeAll, forkMany, scopes, sharedRoundAgain } from './support/stampede.js';

describe('behind Redis Sentinel (1 primary, 2 replicas, 3 sentinels, started by the test)', () => {
  let group: RedisSentinelGroup;
  let world: TokenWorld;
  const children: FinauthChild[] = [];
  const KEY = newKey();

  before(async function () {
    this.timeout(180_000);
    [group, world] = await Promise.all([startSentinelGroup({ downAfterMs: 2000 }), startTokenWorld()]);
    console.log(`      (Sentinel group of 6 processes started and acquainted in ${group.startedInMs} ms)`);
  });
  after(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await Promise.allSettled([group?.stop(), world?.stop()]);
  });
  afterEach(() => {
    world.tokens.mode = { kind: 'ok' };
    // A failed test leaves its children waiting: they must not slow the next tests down.
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  });

  const redis = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ sentinel: { name: SENTINEL_NAME, sentinelRootNodes: group.sentinelRootNodes }, failoverWaitMs: 30_000, ...extra });

  it('4 processes × 200 cold callers over 8 keys → exactly one token request per key, written to the primary', async function () {
    this.timeout(300_000);
    const keyPrefix = uniquePrefix();
    const keys = scopes(8, 's');
    world.tokens.mode = { kind: 'ok', delayMs: 300 };
    const from = world.tokens.requests.length;
    const batch = await forkMany(world, 4, KEY, keyPrefix, redis());
    children.push(...batch);
    for (const c of batch) c.go(keys);
    const results = await within(Promise.all(batch.map((c) => c.result)), 60_000, 'results');
    checkRound(world, from, results, keys, 1);
    for (const scope of keys) expect(new Set(results.flatMap((r) => r.tokensByScope[scope] ?? [])).size, scope).to.equal(1);
    const primary = await group.primary();
    const [, stored] = (await primary.ask(['SCAN', '0', 'MATCH', `${keyPrefix}*:token`, 'COUNT', '1000'])) as [string, string[]];
    expect(stored).to.have.length(8);
    await closeAll(batch);
  });

  describeCloseCases({
    world: () => world,
    key: KEY,
    children,
    redis,
    names: {
      starting: 'while asking the sentinels',
      unreachable: 'with no sentinel reachable',
      paused: 'connected, then with the primary paused (SIGSTOP) and commands pending',
    },
    unreachable: () => ({ sentinel: { name: SENTINEL_NAME, sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] } }),
    // Paused for less than down-after-milliseconds: no failover.
    nodeToPause: () => group.primary(),
  });

  it('the primary killed during a stampede: no wrong token, no caller error, at most one extra request per key; recovery without a restart', async function () {
    this.timeout(600_000);
    const keyPrefix = uniquePrefix();
    const keys = scopes(8, 'f');
    const batch = await forkMany(world, 4, KEY, keyPrefix, redis());
    children.push(...batch);
    world.tokens.mode = { kind: 'ok', delayMs: 1500 }; // holders are mid-fetch when the primary dies
    const from = world.tokens.requests.length;
    for (const c of batch) c.go(keys);
    await within(world.tokens.received(from + 6), 60_000, 'holders fetching');
    const old = await group.primary();
    await old.kill();
    const killedAt = Date.now();
    const results = await within(Promise.all(batch.map((c) => c.result)), 120_000, 'results after the kill');
    const issued = checkRound(world, from, results, keys, 2);
    const extra = [...issued.values()].filter((list) => list.length > 1).length;
    const successor = await group.failedOver(old, 60_000);
    console.log(`      (primary killed; callers answered ${Date.now() - killedAt} ms later; ${extra} of 8 keys cost one extra request; new primary :${successor.port})`);

    // Recovery without a restart: the same processes share tokens again through the new primary.
    await sharedRoundAgain(world, batch, scopes(8, 'r'));
    const [, stored] = (await successor.ask(['SCAN', '0', 'MATCH', `${keyPrefix}{*}:token`, 'COUNT', '1000'])) as [string, string[]];
    expect(stored.length).to.be.at.least(8);
    await closeAll(batch);
  });
});
