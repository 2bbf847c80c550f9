import { expect } from 'chai';
import { exitsWithinASecond, forkChild, within, type FinauthChild } from './support/childProcess.js';
import { childSettings, newKey, startTokenWorld, uniquePrefix, type TokenWorld } from './support/fixture.js';
import { startRedis, type RedisServer } from './support/redisServer.js';

/**
 * close() ends every socket and timer at once, whatever Redis is doing: each case runs finauth in a
 * child process that never calls process.exit, and times from "closing" to the process's exit.
 */
describe('close() lets the process exit within 1 s, in every state (single node)', () => {
  let world: TokenWorld;
  const servers: RedisServer[] = [];
  const children: FinauthChild[] = [];
  const KEY = newKey();

  before(async () => {
    world = await startTokenWorld();
  });
  after(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await Promise.allSettled(servers.map((s) => s.stop()));
    await world.stop();
  });

  afterEach(() => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  });

  async function redis(): Promise<RedisServer> {
    const server = await startRedis();
    servers.push(server);
    return server;
  }

  function child(url: string, extra: Record<string, unknown> = {}): FinauthChild {
    const c = forkChild(childSettings(world, KEY, uniquePrefix(), { redis: { url }, callers: 1, stayOpen: true, ...extra }));
    children.push(c);
    return c;
  }

  async function connected(c: FinauthChild): Promise<void> {
    await within(c.ready, 90_000, 'child ready');
    c.go();
    const result = await within(c.result, 30_000, 'first token');
    expect(result.errors).to.deep.equal([]);
    expect(await c.status()).to.equal('healthy');
  }


  it('while the first connection is still being made (close() in the same tick as createFinauth)', async function () {
    this.timeout(120_000);
    const server = await redis();
    await exitsWithinASecond(child(server.url, { closeAtStart: true }));
  });

  it('while connecting to a Redis that accepts the socket and never answers (paused from the start)', async function () {
    this.timeout(120_000);
    const server = await redis();
    server.pause();
    try {
      const c = child(server.url);
      await within(c.ready, 90_000, 'child ready');
      c.close();
      await exitsWithinASecond(c);
    } finally {
      server.resume();
    }
  });

  it('connected and idle', async function () {
    this.timeout(120_000);
    const c = child((await redis()).url);
    await connected(c);
    c.close();
    await exitsWithinASecond(c);
  });

  it('Redis paused (SIGSTOP) with commands that timed out still pending inside node-redis', async function () {
    this.timeout(120_000);
    const server = await redis();
    const c = child(server.url);
    await connected(c);
    server.pause();
    try {
      c.close({ inflight: true });
      await exitsWithinASecond(c);
    } finally {
      server.resume();
    }
  });

  it('Redis down: no reconnect back-off timer holds the process', async function () {
    this.timeout(120_000);
    const server = await redis();
    const c = child(server.url);
    await connected(c);
    await server.stop();
    await new Promise((r) => setTimeout(r, 300)); // reconnection attempts are under way
    c.close();
    await exitsWithinASecond(c);
  });

  it('degraded (Redis gone, the cache bypassing it, probes running)', async function () {
    this.timeout(120_000);
    const server = await redis();
    const c = child(server.url);
    await connected(c);
    await server.stop();
    const deadline = Date.now() + 10_000;
    while ((await c.status()) !== 'degraded') {
      if (Date.now() > deadline) throw new Error('the child never degraded');
      await new Promise((r) => setTimeout(r, 50));
    }
    c.close({ inflight: true });
    await exitsWithinASecond(c);
  });

  it('createFinauth throws a ConfigError after redisCache() was created inline: it closes that cache', async function () {
    this.timeout(120_000);
    const c = child((await redis()).url, { invalidProvider: true });
    await exitsWithinASecond(c);
  });

  it('the same with Redis unreachable (the inline cache is reconnecting when createFinauth throws)', async function () {
    this.timeout(120_000);
    const c = child('redis://127.0.0.1:1', { invalidProvider: true });
    await exitsWithinASecond(c);
  });
});
