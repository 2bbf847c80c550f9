// Refresh ahead: getToken latency (p50/p99) in the calls that cross a token's refresh point, while
// the bank takes 200 ms to answer, against plain cache hits measured in the same run. A caller that
// waited for the refresh would see ~200 ms; refresh ahead should keep the crossing at cache-hit cost.
// finauth's injected clock jumps past the refresh point (no 270 s wait); the bank is real (mTLS).
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { fapiProvider } from './clients.mjs';
import { now } from './measure.mjs';

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
/** Yields to I/O between calls (untimed), so the background refresh can progress as in a server. */
const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));

export async function refreshAhead(origin, m, { crossings = 20, hitsPerRound = 2_000, bankDelayMs = 200 } = {}) {
  let offset = 0;
  const clock = {
    now: () => Date.now() + offset,
    sleep: (ms, signal) => new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    }),
  };
  const fa = createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)], clock });
  const timed = async () => {
    const t0 = now();
    const token = await fa.getToken('bank');
    return [now() - t0, token];
  };
  let token = await fa.getToken('bank');
  const hits = [];
  const crossing = [];
  const refreshMs = [];
  let sawOld = 0;
  for (let round = 0; round < crossings; round++) {
    for (let i = 0; i < hitsPerRound; i++) {
      const [ms] = await timed();
      hits.push(ms);
      await yieldTurn();
    }
    // Jump past the refresh point (300 s token, refreshed 30 s early) but well before expiry.
    offset = token.expiresAt.getTime() - Date.now() - 10_000;
    const old = token.accessToken;
    const started = now();
    for (;;) {
      const [ms, t] = await timed();
      crossing.push(ms);
      if (t.accessToken === old) sawOld++;
      else {
        token = t;
        refreshMs.push(now() - started);
        break;
      }
      await yieldTurn();
    }
  }
  await fa.close();
  const p = (xs) => ({ p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99), calls: xs.length });
  const hit = p(hits);
  const cross = p(crossing);
  return {
    bankDelayMs,
    crossings,
    cacheHit: hit,
    acrossRefreshPoint: cross,
    ratioP50: cross.p50Ms / hit.p50Ms,
    ratioP99: cross.p99Ms / hit.p99Ms,
    /** Callers served the still-valid token while the refresh ran (each would have waited). */
    servedWhileRefreshing: sawOld,
    medianRefreshMs: percentile(refreshMs, 50),
  };
}
