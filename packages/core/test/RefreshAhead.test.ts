import { expect } from 'chai';
import type { CachedToken, TokenCache } from '../src/cache/TokenCache.js';
import { MemoryTokenCache } from '../src/cache/MemoryTokenCache.js';
import { harness } from './support/harness.js';
import { ManualClock } from './support/ManualClock.js';
import { errorReply, tokenReply, type Reply } from './support/ScriptedTransport.js';
import { turns, until } from './support/turns.js';

/** A reply the test releases by hand: the bank is "slow" for as long as the test wants. */
function held(reply: Reply): { reply: Reply; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { reply: async (request) => (await gate, typeof reply === 'function' ? reply(request) : reply), release: () => release() };
}

describe('refresh ahead', () => {
  it('answers every caller at once with the valid token past its refresh point, and refreshes once in the background', async () => {
    const clock = new ManualClock();
    const h = harness({}, { clock });
    h.transport.reply(tokenReply('t1', 3600));
    await h.auth.getToken('bank');
    const slow = held(tokenReply('t2', 3600));
    h.transport.reply(slow.reply);
    clock.advance(3600_000 - 30_000);
    const served = await Promise.all(Array.from({ length: 100 }, () => h.auth.getToken('bank')));
    expect(new Set(served.map((t) => t.accessToken))).to.deep.equal(new Set(['t1']));
    await turns();
    expect(h.transport.requests).to.have.length(2);
    slow.release();
    await until(() => h.events.filter((e) => e.name === 'token.fetched').length === 2, 'background fetch');
    expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    expect(h.transport.requests).to.have.length(2);
  });

  it('makes a caller wait only when no valid token exists', async () => {
    const clock = new ManualClock();
    const h = harness({}, { clock });
    h.transport.reply(tokenReply('t1', 3600));
    await h.auth.getToken('bank');
    clock.advance(3600_000);
    const slow = held(tokenReply('t2', 3600));
    h.transport.reply(slow.reply);
    let settled = false;
    const waiting = h.auth.getToken('bank').then((t) => ((settled = true), t));
    await turns();
    expect(settled).to.equal(false);
    slow.release();
    expect((await waiting).accessToken).to.equal('t2');
  });

  it('logs a failed background refresh and tries again with growing backoff while the token lasts', async () => {
    const clock = new ManualClock();
    const h = harness({ retry: { maxRetries: 0, maxDelayMs: 8000, baseDelayMs: 1000 } }, { clock });
    h.transport.reply(tokenReply('t1', 3600));
    await h.auth.getToken('bank');
    h.transport.reply(errorReply(503), errorReply(503), errorReply(503), tokenReply('t2', 3600));
    clock.advance(3600_000 - 60_000);
    expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
    const delays: number[] = [];
    for (let failures = 1; failures <= 3; failures++) {
      await until(() => h.transport.requests.length === 1 + failures && clock.waiting === 1, `background attempt ${failures}`);
      const warn = h.logs.filter((l) => l.level === 'warn' && /background token refresh failed/.test(l.message)).at(-1);
      expect(warn?.fields?.['failures']).to.equal(failures);
      delays.push(warn?.fields?.['delayMs'] as number);
      // Every caller meanwhile still gets the valid token at once, and no second refresh starts.
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      clock.advance(delays.at(-1)!);
    }
    await until(() => h.events.filter((e) => e.name === 'token.fetched').length === 2, 'refresh after backoff');
    expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    expect(h.transport.requests).to.have.length(5);
    // Full jitter around 1 s, 2 s, 4 s: each ceiling doubles.
    expect(delays[0]).to.be.within(500, 1000);
    expect(delays[1]).to.be.within(1000, 2000);
    expect(delays[2]).to.be.within(2000, 4000);
    expect(h.events.filter((e) => e.name === 'token.stale_served')).to.have.length(3);
    expect(JSON.stringify(h.logs)).to.not.include('stub-secret-value-123');
  });

  it('gives up when the token would expire before the next try (and the next caller fetches)', async () => {
    const clock = new ManualClock();
    const h = harness({ retry: { maxRetries: 0, maxDelayMs: 60_000, baseDelayMs: 40_000 } }, { clock });
    h.transport.reply(tokenReply('t1', 300));
    await h.auth.getToken('bank');
    h.transport.reply(errorReply(503));
    // 15 s left; the first backoff is 20-40 s (full jitter of 40 s): no try fits before expiry.
    clock.advance(300_000 - 15_000);
    await h.auth.getToken('bank');
    await until(() => h.logs.some((l) => l.level === 'error' && /expires before another try/.test(l.message)), 'give-up log');
    expect(clock.waiting).to.equal(0);
    expect(h.transport.requests).to.have.length(2);
  });

  it('keepWarm refreshes a due token with no caller at all', async () => {
    const clock = new ManualClock();
    const h = harness({}, { clock, keepWarm: true });
    h.transport.reply(tokenReply('t1', 3600), tokenReply('t2', 3600), tokenReply('t3', 3600));
    await h.auth.getToken('bank');
    await until(() => clock.waiting === 1, 'keepWarm timer');
    clock.advance(3600_000 - 60_000 - 1);
    await turns();
    expect(h.transport.requests).to.have.length(1);
    clock.advance(1);
    await until(() => h.events.filter((e) => e.name === 'token.fetched').length === 2, 'warm refresh');
    await until(() => clock.waiting === 1, 'next keepWarm timer');
    clock.advance(3600_000 - 60_000);
    await until(() => h.events.filter((e) => e.name === 'token.fetched').length === 3, 'second warm refresh');
    expect((await h.auth.getToken('bank')).accessToken).to.equal('t3');
    expect(h.transport.requests).to.have.length(3);
    await h.auth.close();
    expect(clock.waiting).to.equal(0);
  });

  it('without keepWarm nothing is fetched until a caller comes', async () => {
    const clock = new ManualClock();
    const h = harness({}, { clock });
    h.transport.reply(tokenReply('t1', 3600));
    await h.auth.getToken('bank');
    clock.advance(3600_000 - 1000);
    await turns();
    expect(h.transport.requests).to.have.length(1);
    expect(clock.waiting).to.equal(0);
  });

  it('goes through the cache lease (coordinate): two instances sharing a cache refresh once', async () => {
    const clock = new ManualClock();
    const shared = new CoordinatingCache();
    const a = harness({}, { clock, cache: shared });
    const b = harness({}, { clock, cache: shared });
    a.transport.reply(tokenReply('t1', 3600));
    await a.auth.getToken('bank');
    expect((await b.auth.getToken('bank')).accessToken).to.equal('t1');
    const slow = held(tokenReply('t2', 3600));
    a.transport.reply(slow.reply);
    b.transport.reply(tokenReply('never', 3600));
    clock.advance(3600_000 - 30_000);
    expect((await a.auth.getToken('bank')).accessToken).to.equal('t1');
    expect((await b.auth.getToken('bank')).accessToken).to.equal('t1');
    await turns();
    slow.release();
    await until(() => shared.coordinated === 3 && shared.running === 0, 'both background refreshes went through the lease');
    expect(a.transport.requests.length + b.transport.requests.length).to.equal(2);
    expect((await b.auth.getToken('bank')).accessToken).to.equal('t2');
  });
});

/** A shared cache whose `coordinate` lets one caller per key fetch, as cache-redis's lease does across processes. */
class CoordinatingCache extends MemoryTokenCache implements TokenCache {
  coordinated = 0;
  running = 0;
  private readonly leases = new Map<string, Promise<CachedToken>>();
  async coordinate(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    this.coordinated++;
    let lease = this.leases.get(key);
    if (!lease) {
      this.running++;
      lease = fetch().then((entry) => (this.set(key, entry), entry)).finally(() => (this.leases.delete(key), this.running--));
      this.leases.set(key, lease);
    }
    return lease;
  }
  override close(): void {}
}
