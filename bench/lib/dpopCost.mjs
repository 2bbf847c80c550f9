// What DPoP costs a resource call: `await http(id).get(url)` with a cached token, with and without
// a DPoP-bound provider (one ES256 proof signed per call), rounds alternating, in one run.
import { createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { fapiProvider } from './clients.mjs';
import { median, now } from './measure.mjs';

export async function dpopCost(origin, m, { calls = 2_000, rounds = 7 } = {}) {
  const variants = {
    bearer: createFinauth({ strategies: [fapi2()], providers: [fapiProvider('bank', origin, m)] }),
    dpop: createFinauth({ strategies: [fapi2()], providers: [{ ...fapiProvider('bank', origin, m), dpop: true }] }),
  };
  const url = `${origin}/resource`;
  const loop = async (fa) => {
    const http = fa.http('bank');
    const t0 = now();
    for (let i = 0; i < calls; i++) await http.get(url);
    return ((now() - t0) * 1000) / calls;
  };
  const names = Object.keys(variants);
  for (const n of names) {
    const token = await variants[n].getToken('bank');
    if ((n === 'dpop') !== (token.tokenType === 'DPoP')) throw new Error(`${n}: unexpected token type ${token.tokenType}`);
    await loop(variants[n]);
  }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length];
      samples[n].push(await loop(variants[n]));
    }
  }
  for (const fa of Object.values(variants)) await fa.close();
  const us = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  return { usPerCall: us, ratio: us.dpop / us.bearer };
}
