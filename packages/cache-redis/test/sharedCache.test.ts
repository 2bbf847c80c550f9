import { inspect } from 'node:util';
import { createFinauth, systemClock, type Clock, type Finauth } from '@finauth/core';
import { expect } from 'chai';
import { Container } from 'inversify';
import { createClient } from 'redis';
import { cacheRedis, redisCache, type RedisCacheOptions, type RedisTokenCache } from '../src/index.js';
import { newKey, providerFor, Recorder, startWorld, uniquePrefix, type World } from './support/fixture.js';
import { testPost } from './support/testStrategy.js';

type Raw = ReturnType<typeof createClient>;

describe('RedisTokenCache with a real Redis', () => {
  let world: World;
  let raw: Raw;
  const open: Finauth[] = [];
  const allRecorders: Recorder[] = [];
  const secretsSeen: string[] = [];

  before(async () => {
    world = await startWorld();
    raw = createClient({ url: world.redis.url });
    raw.on('error', () => undefined);
    await raw.connect();
  });
  after(async () => {
    raw.destroy();
    await world.stop();
  });
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((a) => a.close()));
    world.tokens.mode = { kind: 'ok' };
    world.tokens.lifetimeSeconds = 3600;
    world.tokens.beforeAnswer = undefined;
    for (const r of world.tokens.requests) if (r.accessToken) secretsSeen.push(r.accessToken);
  });

  /** A finauth instance on its own cache; several share one Redis like replicas of a service. */
  function instance(cacheOptions: Partial<RedisCacheOptions> & { keyPrefix: string }, provider: Record<string, unknown> = {}): { auth: Finauth; cache: RedisTokenCache; recorder: Recorder } {
    const recorder = new Recorder();
    allRecorders.push(recorder);
    const cache = redisCache({ url: world.redis.url, keys: [{ id: 'k1', key: KEY }], logger: recorder, telemetry: recorder, ...cacheOptions });
    const auth = createFinauth({ strategies: [testPost()], cache, logger: recorder, telemetry: recorder, providers: [providerFor(world, provider)] });
    open.push(auth);
    return { auth, cache, recorder };
  }
  const KEY = newKey();
  /** What an instance's cache and pipeline reported (event names, log messages): says why a test failed. */
  const diagnose = (r: Recorder): string => `${r.events.map((e) => e.name + (e.attributes?.['reason'] ? `(${String(e.attributes['reason'])})` : '')).join(',')} [${r.lines.map((l) => l.message).join(' | ')}]`;
  const requests = (): number => world.tokens.requests.length;

  async function storedValues(prefix: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      for (const key of keys) {
        const value = await raw.get(key);
        if (value !== null) out.set(key, value);
      }
    }
    return out;
  }

  describe('refresh ahead across processes (issue 16)', () => {
    it('keeps a token in Redis until it expires, not until its refresh point: another process past the refresh point still finds it', async () => {
      const keyPrefix = uniquePrefix();
      const writer = instance({ keyPrefix }).cache;
      const reader = instance({ keyPrefix }).cache;
      const now = Date.now();
      const entry = { token: { providerId: 'bank', accessToken: 'tok-kept-until-expiry', tokenType: 'Bearer', scope: ['accounts'], expiresAt: new Date(now + 60_000), raw: {} }, refreshAt: now + 150, expiresAt: now + 60_000 };
      await writer.set('k-refresh-ahead', entry);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const found = await reader.get('k-refresh-ahead');
      expect(found?.token.accessToken, 'the entry past its refresh point is still shared').to.equal('tok-kept-until-expiry');
      const stored = [...(await storedValues(keyPrefix)).keys()];
      expect(stored).to.have.length(1);
      const ttl = await raw.pTTL(stored[0]!);
      expect(ttl, 'the Redis TTL runs to the expiry').to.be.greaterThan(50_000);
    });

    it('past the refresh point, instances that never fetched serve the stored token at once, and one refresh runs for all of them', async () => {
      const keyPrefix = uniquePrefix();
      world.tokens.lifetimeSeconds = 60;
      const a = instance({ keyPrefix });
      const first = await a.auth.getToken('bank');
      // Two more replicas whose clocks are 55 s later: past the refresh point of the token (60 s lifetime,
      // refreshed 6 s early), still 5 s before it expires. Redis keeps real time.
      const later: Clock = { now: () => Date.now() + 55_000, sleep: systemClock.sleep };
      const replicas = [0, 1].map(() => {
        const recorder = new Recorder();
        const cache = redisCache({ url: world.redis.url, keys: [{ id: 'k1', key: KEY }], logger: recorder, telemetry: recorder, keyPrefix });
        const auth = createFinauth({ strategies: [testPost()], cache, clock: later, logger: recorder, telemetry: recorder, providers: [providerFor(world)] });
        open.push(auth);
        return auth;
      });
      world.tokens.mode = { kind: 'ok', delayMs: 300 };
      const before = requests();
      const served = await Promise.all(replicas.flatMap((r) => [r.getToken('bank'), r.getToken('bank')]));
      expect(served.map((t) => t.accessToken), 'no caller waited for the bank').to.deep.equal(served.map(() => first.accessToken));
      await world.tokens.received(before + 1);
      let fresh = first;
      for (let i = 0; i < 100 && fresh.accessToken === first.accessToken; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        fresh = await replicas[1]!.getToken('bank');
      }
      expect(fresh.accessToken, 'the refreshed token reached the replica').not.to.equal(first.accessToken);
      expect((await replicas[0]!.getToken('bank')).accessToken).to.equal(fresh.accessToken);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(requests() - before, 'one refresh for both replicas').to.equal(1);
    });
  });

  describe('sharing', () => {
    it('shares one token between two instances: the second never calls the bank', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const b = instance({ keyPrefix });
      const before = requests();
      const t1 = await a.auth.getToken('bank');
      const t2 = await b.auth.getToken('bank');
      expect(requests() - before, `${diagnose(a.recorder)} / ${diagnose(b.recorder)}`).to.equal(1);
      expect(t2.accessToken).to.equal(t1.accessToken);
      expect(t2.expiresAt?.getTime()).to.equal(t1.expiresAt?.getTime());
      expect(b.recorder.count('token.cache_hit')).to.equal(1);
    });

    it('a Redis still making its first connection is waited for, not declared degraded: two instances created together share one token', async () => {
      // SIGSTOP: the kernel accepts the TCP connections but Redis answers no HELLO until SIGCONT, so
      // both caches are still connecting when the first token is asked for, as on a loaded host or
      // across a slow network. The pause is longer than the 500 ms command timeout; the first
      // connection may take up to the client's connect timeout (10 s here).
      const keyPrefix = uniquePrefix();
      const client = { url: world.redis.url, socket: { connectTimeout: 10_000 } };
      world.redis.pause();
      let resumed: Promise<void>;
      let a: ReturnType<typeof instance>;
      let b: ReturnType<typeof instance>;
      try {
        a = instance({ keyPrefix, client });
        b = instance({ keyPrefix, client });
      } finally {
        resumed = new Promise<void>((resolve) => setTimeout(() => {
          world.redis.resume();
          resolve();
        }, 800));
      }
      const before = requests();
      const t1 = await a.auth.getToken('bank'); // asked while Redis does not answer yet
      await resumed;
      const t2 = await b.auth.getToken('bank');
      expect(a.recorder.count('cache.degraded') + b.recorder.count('cache.degraded'), a.recorder.lines.map((l) => l.message).join(' | ')).to.equal(0);
      expect(requests() - before).to.equal(1);
      expect(t2.accessToken).to.equal(t1.accessToken);
      expect(b.recorder.count('token.cache_hit')).to.equal(1);
    });

    it('keys on everything that changes the token: another client id or scope never gets this token', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const other = instance({ keyPrefix }, { clientId: 'client-b' });
      const before = requests();
      const ta = await a.auth.getToken('bank');
      const tb = await other.auth.getToken('bank');
      const tc = await a.auth.getToken('bank', { scope: 'payments' });
      expect(requests() - before).to.equal(3);
      expect(new Set([ta.accessToken, tb.accessToken, tc.accessToken]).size).to.equal(3);
      expect(world.tokens.requests.at(-2)?.clientId).to.equal('client-b');
    });

    it('stores the entry with TTL = remaining lifetime (kept past the refresh point for refresh ahead)', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      await a.auth.getToken('bank');
      const keys = [...(await storedValues(keyPrefix)).keys()];
      expect(keys).to.have.length(1);
      expect(keys[0]).to.match(/^t[0-9a-f]{8}:\{[A-Za-z0-9_-]{43}\}:token$/);
      const ttl = await raw.pTTL(keys[0]!);
      // 3600 s token: 3600 s, less the few ms the test took (not 3540 s: the refresh point is not the end).
      expect(ttl).to.be.at.most(3_600_000).and.above(3_600_000 - 10_000);
    });

    it('forceRefresh replaces the shared entry for every instance', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const b = instance({ keyPrefix });
      const first = await a.auth.getToken('bank');
      const forced = await b.auth.getToken('bank', { forceRefresh: true });
      expect(forced.accessToken).to.not.equal(first.accessToken);
      expect((await a.auth.getToken('bank')).accessToken).to.equal(forced.accessToken);
    });

    it('binds through the container: cacheRedis() + the container\'s logger', async () => {
      const keyPrefix = uniquePrefix();
      const recorder = new Recorder();
      const container = new Container();
      container.load(cacheRedis({ url: world.redis.url, keyPrefix, keys: [{ id: 'k1', key: newKey() }] }));
      const auth = createFinauth({ container, strategies: [testPost()], logger: recorder, providers: [providerFor(world)] });
      open.push(auth);
      const a = instance({ keyPrefix, keys: [{ id: 'k1', key: newKey() }] }); // same key id, other material
      await a.auth.getToken('bank');
      await auth.getToken('bank');
      // The container's cache found a.'s entry undecryptable and told the container's logger.
      expect(recorder.lines.some((l) => l.message.includes('cannot be used') && l.fields?.['reason'] === 'authentication-failed')).to.equal(true);
    });
  });

  describe('the fetch lease', () => {
    it('a holder whose fetch fails frees its lease at once: a waiting instance takes over and gets a token', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const b = instance({ keyPrefix });
      const before = requests();
      // a's failure is answered only once b waits on a's lease (a waiter checks the lease with EXISTS
      // after each poll; nothing else here sends EXISTS). A fixed delay raced b on a busy runner: when
      // a's failure came first, b found no lease and fetched without taking anything over.
      const existsCalls = async (): Promise<number> => Number(/cmdstat_exists:calls=(\d+)/.exec(await raw.info('commandstats'))?.[1] ?? 0);
      const waitsChecked = await existsCalls();
      world.tokens.beforeAnswer = async (index) => {
        if (index !== before) return;
        const deadline = Date.now() + 30_000;
        while ((await existsCalls()) === waitsChecked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      };
      world.tokens.mode = { kind: 'fail', status: 401 };
      const failing = a.auth.getToken('bank');
      failing.catch(() => undefined);
      await world.tokens.received(before + 1);
      world.tokens.mode = { kind: 'ok' };
      const waiting = b.auth.getToken('bank'); // a holds the lease: b waits, then takes over
      const error = await failing.then(() => undefined, (e: unknown) => e);
      world.tokens.beforeAnswer = undefined;
      expect(await existsCalls(), 'b waited on the lease').to.be.above(waitsChecked);
      expect((error as { code?: string } | undefined)?.code).to.equal('FINAUTH_TOKEN_ENDPOINT');
      const token = await waiting;
      expect(token.accessToken).to.equal(world.tokens.requests.at(-1)?.accessToken);
      expect(requests() - before).to.equal(2);
      expect(b.recorder.lines.some((l) => l.message.includes('taking over'))).to.equal(true);
    });

    it('is released only by its owner (Lua compare-and-delete)', async () => {
      const { RELEASE_LEASE } = await import('../src/leaseScripts.js');
      const lease = `${uniquePrefix()}{x}:lease`;
      await raw.set(lease, 'owner-1', { expiration: { type: 'PX', value: 10_000 } });
      expect(await raw.eval(RELEASE_LEASE, { keys: [lease], arguments: ['someone-else'] })).to.equal(0);
      expect(await raw.get(lease)).to.equal('owner-1');
      expect(await raw.eval(RELEASE_LEASE, { keys: [lease], arguments: ['owner-1'] })).to.equal(1);
      expect(await raw.exists(lease)).to.equal(0);
    });
  });

  describe('encryption at rest', () => {
    it('what Redis holds never contains the token in clear (scan every key)', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const token = await a.auth.getToken('bank');
      await a.auth.getToken('bank', { scope: 'payments' });
      const values = await storedValues(keyPrefix);
      expect(values.size).to.equal(2);
      for (const [key, value] of values) {
        expect(value, key).to.match(/^f1:e:k1:/);
        expect(value, key).to.not.include(token.accessToken);
        expect(value, key).to.not.include(Buffer.from(token.accessToken).toString('base64url').slice(4, 24));
      }
    });

    it('the plaintext opt-out does store it in clear (the scan above would catch it)', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix, keys: undefined, plaintext: true });
      const token = await a.auth.getToken('bank');
      const [value] = [...(await storedValues(keyPrefix)).values()];
      expect(Buffer.from(value!.split(':')[3]!, 'base64url').toString('utf8')).to.include(token.accessToken);
    });

    it('a wrong key: the entry is ignored and refetched, never returned garbled, and the log names no secret', async () => {
      const keyPrefix = uniquePrefix();
      const otherKey = newKey();
      const a = instance({ keyPrefix });
      const b = instance({ keyPrefix, keys: [{ id: 'k1', key: otherKey }] });
      const c = instance({ keyPrefix, keys: [{ id: 'k9', key: otherKey }] });
      const before = requests();
      const ta = await a.auth.getToken('bank');
      const tb = await b.auth.getToken('bank');
      expect(requests() - before).to.equal(2);
      expect(tb.accessToken).to.not.equal(ta.accessToken);
      expect(tb.accessToken).to.match(/^tok-\d+-[0-9a-f]{24}$/);
      const warning = b.recorder.lines.find((l) => l.message.includes('cannot be used'));
      expect(warning?.fields).to.deep.equal({ reason: 'authentication-failed', keyId: 'k1' });
      expect(b.recorder.count('cache.undecryptable')).to.be.at.least(1);
      // b overwrote the entry under its key: c (unknown key id k1) refetches too.
      const tc = await c.auth.getToken('bank');
      expect(requests() - before).to.equal(3);
      expect(tc.accessToken).to.not.equal(tb.accessToken);
      // The entry's key id (k1) is not among c's keys (k9).
      expect(c.recorder.lines.find((l) => l.message.includes('cannot be used'))?.fields).to.deep.equal({ reason: 'unknown-key', keyId: 'k1' });
      for (const r of [a, b, c]) {
        expect(r.recorder.text()).to.not.include(KEY).and.not.include(otherKey);
        expect(r.recorder.text()).to.not.include(ta.accessToken).and.not.include(tb.accessToken);
      }
    });

    it('key rotation: [new, old] reads the old entry without a fetch and writes under the new key', async () => {
      const keyPrefix = uniquePrefix();
      const newer = newKey();
      const a = instance({ keyPrefix });
      const rotated = instance({ keyPrefix, keys: [{ id: 'k2', key: newer }, { id: 'k1', key: KEY }] });
      const before = requests();
      const ta = await a.auth.getToken('bank');
      expect((await rotated.auth.getToken('bank')).accessToken).to.equal(ta.accessToken);
      expect(requests() - before).to.equal(1);
      await rotated.auth.getToken('bank', { scope: 'payments' });
      const values = [...(await storedValues(keyPrefix)).values()].map((v) => v.split(':').slice(0, 3).join(':')).sort();
      expect(values).to.deep.equal(['f1:e:k1', 'f1:e:k2']);
    });
  });

  describe('degradation', () => {
    it('Redis stopped mid-run: getToken keeps answering; restarted: sharing resumes', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix, probeIntervalMs: 100 });
      const b = instance({ keyPrefix, probeIntervalMs: 100 });
      const cached = await a.auth.getToken('bank');
      await b.auth.getToken('bank');
      await world.redis.stop();
      try {
        const started = Date.now();
        expect((await a.auth.getToken('bank')).accessToken).to.equal(cached.accessToken);
        const fresh = await a.auth.getToken('bank', { scope: 'payments' });
        expect(fresh.accessToken).to.match(/^tok-/);
        expect(Date.now() - started).to.be.below(5000);
        await a.recorder.waitFor('cache.degraded');
        expect(a.cache.isDegraded).to.equal(true);
        expect(a.recorder.lines.some((l) => l.level === 'warn' && l.message.includes('degraded'))).to.equal(true);
      } finally {
        await world.redis.start();
      }
      await a.recorder.waitFor('cache.recovered');
      await b.recorder.waitFor('cache.recovered');
      expect(a.cache.isDegraded).to.equal(false);
      const before = requests();
      const shared = await a.auth.getToken('bank', { scope: 'accounts payments' });
      expect((await b.auth.getToken('bank', { scope: 'accounts payments' })).accessToken).to.equal(shared.accessToken);
      expect(requests() - before).to.equal(1);
      // The restarted Redis lost everything: a's still-good token is written back and shared again.
      expect((await b.auth.getToken('bank')).accessToken).to.equal(cached.accessToken);
      expect(requests() - before).to.equal(1);
    });

    it('a stall of this process longer than the command timeout is not blamed on Redis: its answer, already arrived, is read', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const b = instance({ keyPrefix, commandTimeoutMs: 100 });
      const token = await a.auth.getToken('bank');
      expect((await b.auth.getToken('bank')).accessToken).to.equal(token.accessToken); // b connected
      // b's GET is issued synchronously by getToken and written by node-redis in a setImmediate
      // queued before this one; then this process stalls (as in a GC pause or on a starved CPU)
      // for ten times the command timeout while Redis answers into the socket.
      const pending = b.auth.getToken('bank');
      await new Promise((resolve) => setImmediate(resolve));
      const until = Date.now() + 1000;
      while (Date.now() < until) {
        // busy: no timer, no I/O
      }
      expect((await pending).accessToken).to.equal(token.accessToken);
      expect(b.recorder.count('cache.degraded'), diagnose(b.recorder)).to.equal(0);
      expect(b.cache.isDegraded).to.equal(false);
    });

    it('Redis hanging (SIGSTOP): every call returns within the command timeout, then recovers on SIGCONT', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix, commandTimeoutMs: 200, probeIntervalMs: 100 });
      await a.auth.getToken('bank');
      world.redis.pause();
      try {
        const started = Date.now();
        const results = await Promise.all([a.auth.getToken('bank', { scope: 'payments' }), a.auth.getToken('bank', { scope: 'accounts payments' })]);
        expect(results.map((t) => t.accessToken)).to.have.length(2);
        expect(Date.now() - started).to.be.below(5000);
        expect(a.cache.isDegraded).to.equal(true);
        expect(a.recorder.events.find((e) => e.name === 'cache.degraded')?.attributes?.['reason']).to.include('no answer within 200 ms');
      } finally {
        world.redis.resume();
      }
      await a.recorder.waitFor('cache.recovered');
    });

    it('Redis down from the start: createFinauth works and getToken answers from this process', async () => {
      const recorder = new Recorder();
      const cache = redisCache({ url: 'redis://127.0.0.1:1', keys: [{ id: 'k1', key: KEY }], logger: recorder, telemetry: recorder });
      const auth = createFinauth({ strategies: [testPost()], cache, providers: [providerFor(world)] });
      open.push(auth);
      const before = requests();
      const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken('bank')));
      expect(new Set(tokens.map((t) => t.accessToken)).size).to.equal(1);
      expect(requests() - before).to.equal(1);
      expect(cache.isDegraded).to.equal(true);
      expect(recorder.count('cache.degraded')).to.equal(1);
    });
  });

  describe('logging the cache object', () => {
    it('console.log(cache) and JSON.stringify(cache) show the deployment and state, never a key, password or token', async () => {
      const keyPrefix = uniquePrefix();
      const a = instance({ keyPrefix });
      const token = (await a.auth.getToken('bank')).accessToken;
      const keyBytes = Buffer.from(KEY, 'base64');
      const forms = [KEY, keyBytes.toString('hex'), [...keyBytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' '), token];
      for (const text of [inspect(a.cache, { depth: Infinity }), inspect(a.cache), JSON.stringify(a.cache), String(a.cache)]) {
        for (const form of forms) expect(text, text).not.to.include(form);
      }
      expect(JSON.parse(JSON.stringify(a.cache))).to.deep.equal({ deployment: 'node', status: 'healthy', keyPrefix });
      expect(inspect(a.cache)).to.match(/^RedisTokenCache \{/);
    });
  });

  describe('afterwards', () => {
    it('no token or key ever reached a log line or telemetry event in this file', () => {
      expect(secretsSeen.length).to.be.above(10);
      for (const recorder of allRecorders) {
        const text = recorder.text();
        expect(text).to.not.include(KEY);
        for (const secret of secretsSeen) expect(text).to.not.include(secret);
      }
    });
  });
});
