import { createFinauth, FinauthError, ResponseFormatError, TokenEndpointError, TransportError, type AccessToken, type Finauth } from '@finauth/core';
import { startSandbox, type LoggedRequest, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { recordUnhandledRejections, type RejectionRecorder } from '../support/unhandledRejections.js';
import { FAULT_CASES, RETRY, TIMEOUT_MS, type ErrorClass, type FaultCase } from './faultCases.js';
import { STRATEGIES, type StrategyUnderTest } from './strategiesUnderTest.js';

/** Each class's own brand check: exactly that class, from any installed copy of core. */
const IS_ERROR_CLASS: Record<ErrorClass, (value: unknown) => boolean> = {
  TokenEndpointError: (v) => TokenEndpointError.is(v),
  TransportError: (v) => TransportError.is(v),
  ResponseFormatError: (v) => ResponseFormatError.is(v),
};

/**
 * What fapi2's recover() adds once the retries are spent on a network failure or a timeout: the
 * endpoint may have moved, so it discovers again and makes one more token request (which, for a
 * persisting timeout, waits the timeout once more). A static endpoint adds nothing.
 */
function rediscovery(c: FaultCase, s: StrategyUnderTest): { attempts: number; waitMs: number } {
  const o = c.outcome;
  const reason = o.kind === 'error' && o.errorClass === 'TransportError' ? o.fields['reason'] : undefined;
  const attempts = reason === 'network' || reason === 'timeout' ? s.rediscoveryAttempts : 0;
  return { attempts, waitMs: reason === 'timeout' ? attempts * TIMEOUT_MS : 0 };
}

/** The jti of every client assertion the server received (requests reset before their body have none). */
function assertionIds(bodies: string[]): string[] {
  return bodies
    .map((b) => new URLSearchParams(b).get('client_assertion'))
    .filter((a): a is string => a !== null)
    .map((a) => (JSON.parse(Buffer.from(a.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string }).jti);
}

/** The credentials the attempts sent: a client assertion, or the Basic credentials encoded and the secret decoded. */
function credentialsSent(requests: LoggedRequest[]): string[] {
  return requests.flatMap((r) => {
    const assertion = new URLSearchParams(r.body).get('client_assertion');
    const basic = /^Basic (.+)$/.exec(r.headers.authorization ?? '')?.[1];
    // SNAP BI: the request signature proves the key at that instant, like an assertion.
    const signature = r.headers['x-signature'];
    // The client id before the first ':' is public; the secret is the rest.
    const secret = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
    return [assertion, basic, secret, signature].filter((v): v is string => typeof v === 'string' && v.length > 0);
  });
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
        // Each case stands alone: failures of earlier cases must not open the provider's circuit
        // (the circuit has its own tests, test/operations and core's CircuitBreaker.test).
        const circuit = { failureThreshold: 1000 };
        fa = createFinauth({ strategies: [s.module()], providers: [s.provider(sb, { timeoutMs: TIMEOUT_MS, retry: { ...RETRY }, circuit })] });
        // A first token: fapi2 has its discovery document, so a later failure can trigger rediscovery.
        await fa.getToken(s.providerId);
      });
      after(async () => {
        s.faults(sb).clear();
        await fa.close();
      });

      for (const c of FAULT_CASES.map((fc) => s.adapt?.(fc) ?? fc)) {
        it(c.name, async function () {
          const extra = rediscovery(c, s);
          const minMs = c.minMs === undefined ? undefined : c.minMs + extra.waitMs;
          const maxMs = c.maxMs + extra.waitMs;
          // The elapsed-time check is the real bound; mocha's timeout only stops a hang, leaving
          // room for the checks after the call (introspection, the next token).
          this.timeout(maxMs + 3000);
          const faults = s.faults(sb);
          faults.clear();
          for (const f of c.faults()) faults.enqueue(f);
          const requestsBefore = s.tokenRequests(sb);
          const discoveriesBefore = s.discoveryRequests(sb);
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
            expect(IS_ERROR_CLASS[c.outcome.errorClass](error), `expected a ${c.outcome.errorClass}, got ${String(error)}`).to.equal(true);
            const e = error as FinauthError & Record<string, unknown>;
            expect(e.name).to.equal(c.outcome.errorClass);
            expect(e.providerId).to.equal(s.providerId);
            for (const [field, value] of Object.entries(c.outcome.fields)) expect(e[field], field).to.deep.equal(value);
            if (c.outcome.message) expect(e.message).to.match(c.outcome.message);
            const shown = [e.message, e.stack ?? '', JSON.stringify(e)].join('\n');
            for (const secret of credentialsSent(s.tokenLog(sb).slice(logBefore))) expect(shown, 'a credential in the error').to.not.include(secret);
          }
          expect(s.tokenRequests(sb) - requestsBefore, 'token requests the server saw').to.equal(c.attempts + extra.attempts);
          expect(s.discoveryRequests(sb) - discoveriesBefore, 'discovery documents fetched again').to.equal(extra.attempts);
          if (minMs !== undefined) expect(elapsed, 'it had to wait').to.be.at.least(minMs - 50);
          expect(elapsed, 'time taken (ms)').to.be.at.most(maxMs);

          if (s.name.includes('private_key_jwt')) {
            // Attempts reset before their body was read logged no body; every other one had an assertion.
            const bodies = s.tokenLog(sb).slice(logBefore).map((r) => r.body).filter((b) => b !== '');
            const ids = assertionIds(bodies);
            expect(ids.length, 'an assertion in every attempt that sent a body').to.equal(bodies.length);
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
