// Cache hit: an `await getToken(id)` served from the cache against the least a cache can do —
// `await Promise.resolve(map.get(k))` plus an expiry check — in the same loop shape.
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { fapiProvider } from './clients.mjs';
import { median, now } from './measure.mjs';

export async function cacheHit(origin, m, { iterations = 200_000, rounds = 7 } = {}) {
  const fa = createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)] });
  const token = await fa.getToken('bank');
  const map = new Map([['bank\u0000accounts', { token, expiresAt: Date.now() + 300_000 }]]);
  const skewMs = 60_000;
  const finauthLoop = async () => {
    const t0 = now();
    for (let i = 0; i < iterations; i++) await fa.getToken('bank');
    return ((now() - t0) * 1e6) / iterations;
  };
  const mapLoop = async () => {
    const t0 = now();
    for (let i = 0; i < iterations; i++) {
      const entry = await Promise.resolve(map.get('bank\u0000accounts'));
      if (!entry || entry.expiresAt - Date.now() < skewMs) throw new Error('expired');
    }
    return ((now() - t0) * 1e6) / iterations;
  };
  await finauthLoop();
  await mapLoop();
  const f = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      f.push(await finauthLoop());
      b.push(await mapLoop());
    } else {
      b.push(await mapLoop());
      f.push(await finauthLoop());
    }
  }
  await fa.close();
  return { finauthNs: median(f), mapNs: median(b), ratio: median(f) / median(b) };
}
