import { createFinauth, type Finauth } from '@finauth/core';
import { expect } from 'chai';
import { redisCache, type RedisTokenCache } from '../src/index.js';
import { within, type FinauthChild } from './support/childProcess.js';
import { describeCloseCases } from './support/closeCases.js';
import { newKey, providerFor, Recorder, startTokenWorld, uniquePrefix, type TokenWorld } from './support/fixture.js';
import type { RedisProcess } from './support/redisProcess.js';
import { startCluster, type RedisClusterServer } from './support/redisCluster.js';
import { checkRound, closeAll, forkMany, scopes, sharedRoundAgain } from './support/stampede.js';
import { testPost } from './support/testStrategy.js';

describe('on a real Redis Cluster (3 masters + 3 replicas, started by the test)', () => {
  let cluster: RedisClusterServer;
  let world: TokenWorld;
  const children: FinauthChild[] = [];
  const open: Finauth[] = [];
  const KEY = newKey();

  before(async function () {
    this.timeout(180_000);
    [cluster, world] = await Promise.all([startCluster({ nodeTimeoutMs: 2000 }), startTokenWorld()]);
    console.log(`      (cluster of 6 nodes started, created and synced in ${cluster.startedInMs} ms)`);
  });
  after(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await Promise.allSettled(open.map((a) => a.close()));
    await Promise.allSettled([cluster?.stop(), world?.stop()]);
  });
  afterEach(() => {
    world.tokens.mode = { kind: 'ok' };
    // A failed test leaves its children waiting: they must not slow the next tests down.
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  });

  const redis = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ cluster: { rootNodes: cluster.rootNodes }, failoverWaitMs: 30_000, ...extra });

  /** The masters holding at least one `<prefix>…:<kind>` key, by port. */
  async function holders(prefix: string, kind: 'token' | 'lease'): Promise<Map<RedisProcess, number>> {
    const out = new Map<RedisProcess, number>();
    for (const master of await cluster.masters()) {
      let count = 0;
      let cursor = '0';
      do {
        const [next, keys] = (await master.ask(['SCAN', cursor, 'MATCH', `${prefix}*:${kind}`, 'COUNT', '1000'])) as [string, string[]];
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      if (count > 0) out.set(master, count);
    }
    return out;
  }

  /**
   * 4 processes asking for 24 keys while the bank takes 1.5 s, until the holders are mid-fetch;
   * `victim` is the master holding the most leases (the one a failure test takes away).
   */
  async function stampedeUntilLeasesHeld(tag: string) {
    await cluster.healed();
    const keyPrefix = uniquePrefix();
    const keys = scopes(24, tag);
    const batch = await forkMany(world, 4, KEY, keyPrefix, redis());
    children.push(...batch);
    world.tokens.mode = { kind: 'ok', delayMs: 1500 };
    const from = world.tokens.requests.length;
    for (const c of batch) c.go(keys);
    await within(world.tokens.received(from + 20), 60_000, 'holders fetching');
    const leases = await holders(keyPrefix, 'lease');
    const [victim] = [...leases.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    expect(victim, 'a master holds leases').to.not.equal(undefined);
    return { keyPrefix, keys, batch, from, leases, victim: victim! };
  }

  it('4 processes × 200 cold callers, 24 keys spread over every master → exactly one token request per key', async function () {
    this.timeout(300_000);
    const keyPrefix = uniquePrefix();
    const keys = scopes(24, 'c');
    world.tokens.mode = { kind: 'ok', delayMs: 300 };
    const from = world.tokens.requests.length;
    const batch = await forkMany(world, 4, KEY, keyPrefix, redis());
    children.push(...batch);
    for (const c of batch) c.go(keys);
    const results = await within(Promise.all(batch.map((c) => c.result)), 60_000, 'results');
    checkRound(world, from, results, keys, 1);
    expect(results.map((r) => r.degraded)).to.deep.equal([false, false, false, false]);
    // Every process got the same token per key.
    for (const scope of keys) expect(new Set(results.flatMap((r) => r.tokensByScope[scope] ?? [])).size, scope).to.equal(1);
    // The keys really are spread: every master holds some of them.
    expect((await holders(keyPrefix, 'token')).size).to.equal(3);
    await closeAll(batch);
  });

  it('wakes a waiting process with sharded pub/sub (SSUBSCRIBE on the key\'s slot), not by polling', async function () {
    this.timeout(120_000);
    const keyPrefix = uniquePrefix();
    const recorder = new Recorder();
    const make = (pollIntervalMs: number): { auth: Finauth; cache: RedisTokenCache } => {
      const cache = redisCache({ cluster: { rootNodes: cluster.rootNodes }, keyPrefix, pollIntervalMs, commandTimeoutMs: 5000, failoverWaitMs: 30_000, keys: [{ id: 'k1', key: KEY }], logger: recorder, telemetry: recorder });
      const auth = createFinauth({ strategies: [testPost()], cache, providers: [providerFor(world)] });
      open.push(auth);
      return { auth, cache };
    };
    const holder = make(100);
    const waiter = make(10_000); // its first poll comes 5-15 s after it starts waiting: a quicker answer can only be the message
    await Promise.all([holder.auth.getToken('bank', { scope: 'warm-up' }), waiter.auth.getToken('bank', { scope: 'warm-up-2' })]);
    world.tokens.mode = { kind: 'ok', delayMs: 1500 };
    const from = world.tokens.requests.length;
    const first = holder.auth.getToken('bank');
    await world.tokens.received(from + 1);
    const started = Date.now();
    const second = waiter.auth.getToken('bank');
    // While the waiter waits, the key's master counts one subscriber on the key's sharded channel.
    let shardSubscribers = 0;
    let answered = false;
    void second.finally(() => (answered = true)).catch(() => undefined);
    while (shardSubscribers === 0 && !answered) {
      for (const master of await cluster.masters()) {
        const channels = (await master.ask(['PUBSUB', 'SHARDCHANNELS', `${keyPrefix}*`])) as string[];
        if (channels.length > 0) shardSubscribers = ((await master.ask(['PUBSUB', 'SHARDNUMSUB', channels[0]!])) as [string, number])[1];
      }
      // A connection per question: without a pause this loop opened hundreds a second, in the
      // process that also runs the bank (its answer once came after the 5 s provider timeout).
      if (shardSubscribers === 0) await new Promise((r) => setTimeout(r, 20));
    }
    const [a, b] = await Promise.all([first, second]);
    const waited = Date.now() - started;
    expect(b.accessToken).to.equal(a.accessToken);
    expect(world.tokens.requests.length - from).to.equal(1);
    expect(shardSubscribers).to.equal(1);
    // The bank answered ~1.5 s after the waiter started; its first poll could not come before 5 s.
    expect(waited, `waited ${waited} ms`).to.be.below(5000);
  });

  describeCloseCases({
    world: () => world,
    key: KEY,
    children,
    redis,
    names: {
      starting: 'while discovering the cluster',
      unreachable: 'with no node reachable (discovery retrying)',
      paused: 'connected, then with a master paused (SIGSTOP) and commands to it pending',
    },
    unreachable: () => ({ cluster: { rootNodes: [{ url: 'redis://127.0.0.1:1' }, { url: 'redis://127.0.0.1:2' }] } }),
    nodeToPause: async () => (await cluster.masters())[0]!,
    healed: () => cluster.healed(),
  });

  it('a master killed during a stampede: no wrong token, no caller error, at most one extra request per key; recovery without a restart', async function () {
    this.timeout(600_000);
    const { keyPrefix, keys, batch, from, leases, victim } = await stampedeUntilLeasesHeld('f');
    await victim.kill();
    const started = Date.now();
    const results = await within(Promise.all(batch.map((c) => c.result)), 90_000, 'results after the kill');
    const issued = checkRound(world, from, results, keys, 2);
    const extra = [...issued.values()].filter((list) => list.length > 1).length;
    console.log(`      (master with ${leases.get(victim)} of 24 leases killed; callers answered ${Date.now() - started} ms later; ${extra} keys cost one extra request)`);

    // Recovery without a restart: the same processes share tokens again once the replica took over.
    await cluster.healed(60_000);
    await sharedRoundAgain(world, batch, scopes(24, 'r'));
    expect((await holders(keyPrefix, 'token')).size).to.equal(3);
    await closeAll(batch);
  });

  it('a master paused (SIGSTOP, sockets open) during a stampede: no wrong token, no caller error, at most one request per process per key; recovery once it resumes', async function () {
    this.timeout(600_000);
    const { keys, batch, from, leases, victim } = await stampedeUntilLeasesHeld('p');
    // Unlike a kill, nothing resets the connections: commands to it hang until the cache's command
    // timeout, and a topology refresh that asks the paused node hangs too. Measured: callers answered
    // after 7 s with at most one extra request per key (as for a kill), or, when the clients did not
    // find the promoted replica within failoverWaitMs (30 s here), after 37 s, the caches degraded,
    // with three requests for some keys. So the bound is the degraded one: each process fetches at
    // most one token per key for itself (docs/guides/shared-cache.md).
    victim.pause();
    const started = Date.now();
    try {
      const results = await within(Promise.all(batch.map((c) => c.result)), 90_000, 'results while the master is paused');
      const waited = Date.now() - started;
      const issued = checkRound(world, from, results, keys, batch.length);
      const counts = [...issued.values()].map((list) => list.length);
      console.log(`      (master with ${leases.get(victim)} of 24 leases paused; callers answered ${waited} ms later; requests per key ${JSON.stringify(counts)})`);
      // failoverWaitMs, then at most one command timeout (5 s here) before a process fetches for itself.
      expect(waited, `callers waited ${waited} ms`).to.be.below(30_000 + 2 * 5000 + 10_000);
    } finally {
      victim.resume();
    }

    // Recovery without a restart: once the old master is back (a replica now) the processes share tokens again.
    await cluster.healed(60_000);
    await sharedRoundAgain(world, batch, scopes(24, 'q'));
    await closeAll(batch);
  });
});
