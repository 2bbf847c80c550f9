// Stampede: N concurrent cold callers on a fresh instance — the requests the server saw, and the
// time until every caller has its token.
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { fapiProvider } from './clients.mjs';
import { median, now } from './measure.mjs';

export async function stampede(server, origin, m, { callers = 10_000, rounds = 3 } = {}) {
  const results = [];
  for (let r = 0; r < rounds; r++) {
    const fa = createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)] });
    await server.reset();
    const t0 = now();
    const tokens = await Promise.all(Array.from({ length: callers }, () => fa.getToken('bank')));
    const ms = now() - t0;
    const { tokenRequests } = await server.stats();
    results.push({ ms, tokenRequests, distinctTokens: new Set(tokens.map((t) => t.accessToken)).size });
    await fa.close();
  }
  return { callers, tokenRequests: Math.max(...results.map((x) => x.tokenRequests)), distinctTokens: Math.max(...results.map((x) => x.distinctTokens)), medianMs: median(results.map((x) => x.ms)) };
}
