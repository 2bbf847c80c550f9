import { expect } from 'chai';
import { MemoryTokenCache } from '../src/cache/MemoryTokenCache.js';
import type { CachedToken } from '../src/cache/TokenCache.js';
import { promotedByScavenges } from './support/promotion.js';

const entry = (accessToken: string, raw: Record<string, unknown> = {}): CachedToken => ({
  token: { providerId: 'bank', accessToken, tokenType: 'Bearer', scope: [], raw },
  refreshAt: 1_000,
  expiresAt: 2_000,
});

const keysOf = (cache: MemoryTokenCache, candidates: string[]): string[] => candidates.filter((k) => cache.get(k) !== undefined);

describe('MemoryTokenCache', () => {
  it('serves the latest entry written for a key and forgets a deleted one', () => {
    const cache = new MemoryTokenCache();
    cache.set('a', entry('t1'));
    cache.set('a', entry('t2'));
    expect(cache.get('a')?.token.accessToken).to.equal('t2');
    expect(cache.size).to.equal(1);
    cache.delete('a');
    expect(cache.get('a')).to.equal(undefined);
    expect(cache.size).to.equal(0);
  });

  it('drops the least recently written entry past its bound', () => {
    const cache = new MemoryTokenCache(3);
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, entry(k));
    expect(keysOf(cache, ['a', 'b', 'c', 'd'])).to.deep.equal(['b', 'c', 'd']);
  });

  it('keeps an entry written again (a refreshed token) over older ones', () => {
    const cache = new MemoryTokenCache(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, entry(k));
    cache.set('a', entry('a2'));
    cache.set('d', entry('d'));
    expect(keysOf(cache, ['a', 'b', 'c', 'd'])).to.deep.equal(['a', 'c', 'd']);
    expect(cache.get('a')?.token.accessToken).to.equal('a2');
    cache.set('e', entry('e'));
    expect(keysOf(cache, ['a', 'b', 'c', 'd', 'e'])).to.deep.equal(['a', 'd', 'e']);
  });

  it('drops the oldest when every entry was written again, never the one being added', () => {
    const cache = new MemoryTokenCache(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, entry(k));
    for (const k of ['a', 'b', 'c']) cache.set(k, entry(`${k}2`));
    cache.set('d', entry('d'));
    expect(keysOf(cache, ['a', 'b', 'c', 'd'])).to.deep.equal(['b', 'c', 'd']);
    expect(cache.size).to.equal(3);
  });

  it('keeps no refreshed-away token alive through scavenges (16 providers refreshed 4,000 times)', () => {
    const cache = new MemoryTokenCache();
    for (let p = 0; p < 16; p++) cache.set(`bank-${p}`, entry('first'));
    // Deleting and re-adding each key per write promoted nearly every 4 KB token written here.
    const promoted = promotedByScavenges(() => {
      for (let i = 0; i < 4000; i++) cache.set(`bank-${i % 16}`, entry(`t${i}`, { padding: new Array<number>(512).fill(i) }));
      for (let p = 0; p < 16; p++) cache.set(`bank-${p}`, entry('last'));
    });
    expect(promoted, `${promoted} bytes promoted`).to.be.below(2 * 1024 * 1024);
  });
});
