import { createFinauth, FinauthError, type AccessToken, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { recordUnhandledRejections, type RejectionRecorder } from '../support/unhandledRejections.js';
import { FAULT_CASES, RETRY, TIMEOUT_MS, type FaultCase } from './faultCases.js';
import { STRATEGIES, type StrategyUnderTest } from './strategiesUnderTest.js';

/** fapi2 discovers again after a network failure or a timeout outlives the retries: one more attempt. */
function extraAttempts(c: FaultCase, s: StrategyUnderTest): number {
  const o = c.outcome;
  const endpointMayHaveMoved = o.kind === 'error' && o.errorClass === 'TransportError' && (o.fields['reason'] === 'network' || o.fields['reason'] === 'timeout');
  return endpointMayHaveMoved ? s.rediscoveryAttempts : 0;
}

/** The jti of every client assertion the server received (requests reset before their body have none). */
function assertionIds(bodies: string[]): string[] {
  return bodies
    .map((b) => new URLSearchParams(b).get('client_assertion'))
    .filter((a): a is string => a !== null)
    .map((a) => (JSON.parse(Buffer.from(a.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string }).jti);
}

/**
 * Issue 7's fault matrix: every fault in front of every shipped strategy's token endpoint, over real
 * sockets. Each case states the outcome and the time it may take; none may hang, leave an unhandled
 * rejection, or poison the cache.
 */
describe('fault matrix (every strategy, real sockets)', () => {
  let sb: Sandbox;
  let rejections: RejectionRecorder;

  before(async () => {
    sb = await startSandbox();
    rejections = recordUnhandledRejections();
  });
  after(async () => {
    rejections.stop();
    await sb.stop();
  });

  for (const s of STRATEGIES) {
    describe(s.name, () => {
      let fa: Finauth;

      before(async () => {
        fa = createFinauth({ strategies: [s.module()], providers: [s.provider(sb, { timeoutMs: TIMEOUT_MS, retry: { ...RETRY } })] });
        // A first token: fapi2 has its discovery document, so a later failure can trigger rediscovery.
        await fa.getToken(s.providerId);
      });
      after(async () => {
        s.faults(sb).clear();
        await fa.close();
      });

      for (const c of FAULT_CASES) {
        it(c.name, async function () {
          const extra = extraAttempts(c, s);
          // A rediscovery attempt that times out waits once more; any other one costs a round trip.
          const maxMs = c.maxMs + extra * (c.minMs !== undefined && c.outcome.kind === 'error' ? TIMEOUT_MS : 0);
          this.timeout(maxMs + 10_000);
          const faults = s.faults(sb);
          faults.clear();
          for (const f of c.faults()) faults.enqueue(f);
          const requestsBefore = s.tokenRequests(sb);
          const logBefore = s.tokenLog(sb).length;

          const started = performance.now();
          const result = await fa.getToken(s.providerId, { forceRefresh: true }).then(
            (token) => ({ token }),
            (error: unknown) => ({ error }),
          );
          const elapsed = performance.now() - started;
          faults.clear();

          if (c.outcome.kind === 'token') {
            expect('error' in result ? result.error : undefined, 'expected a token').to.equal(undefined);
            expect(await s.isIssued(sb, (result as { token: AccessToken }).token), 'a token the server issued').to.equal(true);
          } else {
            const error = 'error' in result ? result.error : undefined;
            expect(FinauthError.is(error), `expected a ${c.outcome.errorClass}, got ${String(error)}`).to.equal(true);
            const e = error as FinauthError & Record<string, unknown>;
            expect(e.name).to.equal(c.outcome.errorClass);
            expect(e.providerId).to.equal(s.providerId);
            for (const [field, value] of Object.entries(c.outcome.fields)) expect(e[field], field).to.deep.equal(value);
            if (c.outcome.message) expect(e.message).to.match(c.outcome.message);
          }
          expect(s.tokenRequests(sb) - requestsBefore, 'token requests the server saw').to.equal(c.attempts + extra);
          if (c.minMs !== undefined) expect(elapsed, 'it had to wait').to.be.at.least(c.minMs - 50);
          expect(elapsed, 'time taken (ms)').to.be.at.most(maxMs);

          if (s.name.includes('private_key_jwt')) {
            const ids = assertionIds(s.tokenLog(sb).slice(logBefore).map((r) => r.body));
            expect(new Set(ids).size, 'a fresh jti for every attempt').to.equal(ids.length);
          }

          await rejections.settle();
          expect(rejections.reasons, 'unhandled rejections').to.deep.equal([]);
          // No poisoning: with the fault gone, the next call gets a token the server vouches for.
          const next = await fa.getToken(s.providerId);
          expect(await s.isIssued(sb, next)).to.equal(true);
        });
      }
    });
  }
});
