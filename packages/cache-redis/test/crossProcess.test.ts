import { createFinauth } from '@finauth/core';
import { expect } from 'chai';
import { createClient } from 'redis';
import { redisCache } from '../src/index.js';
import { forkChild, within, type FinauthChild } from './support/childProcess.js';
import { newKey, providerFor, Recorder, startWorld, uniquePrefix, type World } from './support/fixture.js';
import { testPost } from './support/testStrategy.js';

describe('cross-process single flight (real processes, real Redis)', () => {
  let world: World;
  let raw: ReturnType<typeof createClient>;
  const children: FinauthChild[] = [];
  const KEY = newKey();

  before(async () => {
    world = await startWorld();
    raw = createClient({ url: world.redis.url });
    raw.on('error', () => undefined);
    await raw.connect();
  });
  after(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    raw.destroy();
    await world.stop();
  });
  afterEach(() => {
    world.tokens.mode = { kind: 'ok' };
    world.tokens.beforeAnswer = undefined;
  });

  const settings = (keyPrefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    redisUrl: world.redis.url, tokenEndpoint: world.tokens.url, caPath: world.caPath, key: KEY, keyPrefix, leaseMs: 5000, callers: 200, commandTimeoutMs: 5000, ...extra,
  });

  /** How many EXISTS commands Redis has run (only a waiting cache sends EXISTS). */
  async function existsCalls(): Promise<number> {
    const info = await raw.info('commandstats');
    return Number(/cmdstat_exists:calls=(\d+)/.exec(info)?.[1] ?? 0);
  }

  async function until(check: () => Promise<boolean>): Promise<void> {
    while (!(await check())) await new Promise((r) => setTimeout(r, 10));
  }

  async function leaseKeys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const keys of raw.scanIterator({ MATCH: `${prefix}*:lease` })) out.push(...keys);
    return out;
  }

  it('4 processes × 200 concurrent cold callers → exactly one token request, one token for all 800', async function () {
    this.timeout(180_000);
    const keyPrefix = uniquePrefix();
    world.tokens.mode = { kind: 'ok', delayMs: 300 }; // a realistic bank: the others arrive while it answers
    const before = world.tokens.requests.length;
    const batch = Array.from({ length: 4 }, () => forkChild(settings(keyPrefix)));
    children.push(...batch);
    await within(Promise.all(batch.map((c) => c.ready)), 90_000, 'children ready');
    for (const c of batch) c.go(); // all cold at once
    const results = await within(Promise.all(batch.map((c) => c.result)), 30_000, 'children results');
    expect(results.flatMap((r) => r.errors)).to.deep.equal([]);
    expect(results.map((r) => r.degraded)).to.deep.equal([false, false, false, false]);
    const tokens = new Set(results.flatMap((r) => r.tokens));
    expect(tokens.size).to.equal(1);
    expect(world.tokens.requests.length - before).to.equal(1);
    expect([...tokens][0]).to.equal(world.tokens.requests.at(-1)?.accessToken);
    // close() released every socket and timer: each child ends on its own, without process.exit.
    expect(await within(Promise.all(batch.map((c) => c.exited)), 15_000, 'children exit after close()')).to.deep.equal([0, 0, 0, 0]);
  });

  it('the lease holder killed mid-fetch → another process takes over within the lease time', async function () {
    this.timeout(180_000);
    const keyPrefix = uniquePrefix();
    const leaseMs = 3000;
    world.tokens.mode = { kind: 'hang' };
    const before = world.tokens.requests.length;
    const holder = forkChild(settings(keyPrefix, { leaseMs, callers: 1 }));
    children.push(holder);
    await within(holder.ready, 90_000, 'holder ready');
    holder.go();
    await within(world.tokens.received(before + 1), 20_000, 'the holder\'s token request');
    const [leaseKey] = await leaseKeys(keyPrefix);
    expect(leaseKey, 'the holder took a lease').to.be.a('string');
    const deadOwner = await raw.get(leaseKey!);
    expect(deadOwner).to.be.a('string');
    holder.process.kill('SIGKILL');
    expect(await holder.exited).to.equal('SIGKILL');
    // The dead holder's lease must still stand when this process first asks, or there is nothing to
    // take over: its last renewal left it 1.3-2 s, which a busy runner can spend starting the waiter
    // (then the waiter wins the lease at once and the takeover path is never run). So the dead
    // owner's lease is held without expiry until this process waits on it, then given leaseMs to
    // run: the takeover itself still waits for the lease to run out.
    await raw.set(leaseKey!, deadOwner!);

    // Another process (this one) now asks: the dead holder's lease still stands, so it waits, then takes over.
    world.tokens.mode = { kind: 'ok' };
    let ownerAtTakeover: string | null | undefined;
    world.tokens.beforeAnswer = async () => {
      ownerAtTakeover = await raw.get(leaseKey!);
    };
    const recorder = new Recorder();
    const cache = redisCache({ url: world.redis.url, keyPrefix, leaseMs, commandTimeoutMs: 5000, keys: [{ id: 'k1', key: KEY }], logger: recorder, telemetry: recorder });
    const auth = createFinauth({ strategies: [testPost()], cache, providers: [providerFor(world)] });
    try {
      const waitsChecked = await existsCalls(); // a waiter checks the lease with EXISTS after each poll
      const asked = auth.getToken('bank');
      await within(until(async () => (await existsCalls()) > waitsChecked), 30_000, 'this process waiting on the dead lease');
      expect(await raw.get(leaseKey!)).to.equal(deadOwner);
      await raw.pExpire(leaseKey!, leaseMs);
      const started = Date.now();
      const token = await asked;
      const waited = Date.now() - started;
      expect(token.accessToken).to.equal(world.tokens.requests.at(-1)?.accessToken);
      expect(world.tokens.requests.length - before).to.equal(2);
      // The bank was called under a new lease owned by this process, not the dead one's.
      expect(ownerAtTakeover).to.be.a('string').and.not.equal(deadOwner);
      expect(waited).to.be.below(leaseMs + 3000);
      expect(recorder.lines.some((l) => l.message.includes('taking over'))).to.equal(true);
      expect(await raw.exists(leaseKey!)).to.equal(0); // released after storing
    } finally {
      await auth.close();
    }
  });

  it('a waiting process is woken by the holder\'s result (no second request while the holder is alive)', async function () {
    this.timeout(180_000);
    const keyPrefix = uniquePrefix();
    world.tokens.mode = { kind: 'ok', delayMs: 1500 };
    const before = world.tokens.requests.length;
    const first = forkChild(settings(keyPrefix, { callers: 5 }));
    children.push(first);
    await within(first.ready, 90_000, 'first ready');
    first.go();
    await within(world.tokens.received(before + 1), 20_000, 'first token request');
    const second = forkChild(settings(keyPrefix, { callers: 5 }));
    children.push(second);
    await within(second.ready, 90_000, 'second ready');
    second.go();
    const [a, b] = await within(Promise.all([first.result, second.result]), 30_000, 'results');
    expect(a.tokens).to.deep.equal(b.tokens);
    expect(world.tokens.requests.length - before).to.equal(1);
    expect(await within(Promise.all([first.exited, second.exited]), 15_000, 'exit')).to.deep.equal([0, 0]);
  });

  it('a process whose Redis is unreachable still answers and exits cleanly after close()', async function () {
    this.timeout(120_000);
    const child = forkChild({ ...settings(uniquePrefix(), { callers: 50 }), redisUrl: 'redis://127.0.0.1:1' });
    children.push(child);
    await within(child.ready, 90_000, 'ready');
    child.go();
    const result = await within(child.result, 15_000, 'result');
    expect(result.errors).to.deep.equal([]);
    expect(result.tokens).to.have.length(1);
    expect(result.degraded).to.equal(true);
    expect(await within(child.exited, 15_000, 'exit')).to.equal(0);
  });
});
