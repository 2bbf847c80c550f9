import { expect } from 'chai';
import { ConfigError, ResponseFormatError, TokenEndpointError, TransportError } from '../src/errors/index.js';
import { MAX_RECOVERIES } from '../src/token/TokenPipeline.js';
import { harness, rejection } from './support/harness.js';
import { errorReply, tokenReply } from './support/ScriptedTransport.js';
import { requests } from './support/settle.js';

describe('TokenPipeline', () => {
  describe('getToken', () => {
    it('sends grant_type=client_credentials and the configured scope, with the strategy auth', async () => {
      const h = harness({ scope: 'b a' });
      h.transport.reply(tokenReply('t1'));
      const token = await h.auth.getToken('bank');
      expect(token.accessToken).to.equal('t1');
      const req = h.transport.requests[0]!;
      expect(req.method).to.equal('POST');
      expect(req.url).to.equal('https://127.0.0.1:1/token');
      expect(req.headers['content-type']).to.equal('application/x-www-form-urlencoded');
      expect(req.headers['accept']).to.equal('application/json');
      const body = new URLSearchParams(req.body);
      expect(body.get('grant_type')).to.equal('client_credentials');
      expect(body.get('scope')).to.equal('a b');
      expect(body.get('client_secret')).to.equal('stub-secret-value-123');
    });

    it('serves a cached token without a request while it is fresh', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1'));
      await h.auth.getToken('bank');
      h.clock.advance(3000_000);
      const again = await h.auth.getToken('bank');
      expect(again.accessToken).to.equal('t1');
      expect(h.transport.requests).to.have.length(1);
      expect(h.events.map((e) => e.name)).to.deep.equal(['token.cache_miss', 'token.fetched', 'token.cache_hit']);
    });

    it('refreshes 60 s before expiry for a long token (the refresh skew), serving the valid one meanwhile', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1', 3600), tokenReply('t2', 3600));
      await h.auth.getToken('bank');
      h.clock.advance(3600_000 - 60_001);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect(h.transport.requests).to.have.length(1);
      h.clock.advance(2);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      await requests(h, 2);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    });

    it('refreshes 10% before expiry for a short token', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1', 300), tokenReply('t2', 300));
      await h.auth.getToken('bank');
      h.clock.advance(269_999);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect(h.transport.requests).to.have.length(1);
      h.clock.advance(2);
      await h.auth.getToken('bank');
      await requests(h, 2);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    });

    it('uses the configured refresh skew', async () => {
      const h = harness({}, { refreshSkewSeconds: 5 });
      h.transport.reply(tokenReply('t1', 3600), tokenReply('t2', 3600));
      await h.auth.getToken('bank');
      h.clock.advance(3600_000 - 5_001);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect(h.transport.requests).to.have.length(1);
      h.clock.advance(2);
      await h.auth.getToken('bank');
      await requests(h, 2);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    });

    it('gives a token without expires_in the configured default lifetime', async () => {
      const h = harness({}, { defaultLifetimeSeconds: 100 });
      h.transport.reply(tokenReply('t1', null), tokenReply('t2'));
      const first = await h.auth.getToken('bank');
      expect(first.expiresAt).to.equal(undefined);
      h.clock.advance(89_000);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect(h.transport.requests).to.have.length(1);
      h.clock.advance(2_000);
      await h.auth.getToken('bank');
      await requests(h, 2);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    });

    it('keeps one token per scope set: never serves one scope to a caller asking another', async () => {
      const h = harness({ scope: 'accounts' });
      h.transport.reply(tokenReply('acc'), tokenReply('pay'));
      expect((await h.auth.getToken('bank')).accessToken).to.equal('acc');
      expect((await h.auth.getToken('bank', { scope: 'payments' })).accessToken).to.equal('pay');
      expect((await h.auth.getToken('bank', { scope: 'accounts' })).accessToken).to.equal('acc');
      expect((await h.auth.getToken('bank', { scope: 'payments  ' })).accessToken).to.equal('pay');
      expect(h.transport.requests).to.have.length(2);
    });

    it('treats scope sets as sets: order and repetition do not make a new key', async () => {
      const h = harness();
      h.transport.reply(tokenReply('ab'));
      await h.auth.getToken('bank', { scope: 'a b' });
      expect((await h.auth.getToken('bank', { scope: 'b a a' })).accessToken).to.equal('ab');
      expect(h.transport.requests).to.have.length(1);
    });

    it('fetches again with forceRefresh', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1'), tokenReply('t2'));
      await h.auth.getToken('bank');
      // A hit, served from the settled promise the pipeline keeps for the entry...
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect((await h.auth.getToken('bank', { forceRefresh: true })).accessToken).to.equal('t2');
      // ...which must follow the entry the refresh stored.
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
    });

    it('never caches a failure', async () => {
      const h = harness();
      h.transport.reply(errorReply(401, { error: 'invalid_client' }), tokenReply('t1'));
      expect(TokenEndpointError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
    });

    it('passes per-call strategy options to the strategy', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1'));
      await h.auth.getToken('bank', { strategyOptions: { customerIp: '127.0.0.1' } });
      expect(h.strategies[0]!.prepared[0]!.options).to.deep.equal({ customerIp: '127.0.0.1' });
    });

    it('rejects an unknown provider id with a ConfigError naming the known ones', async () => {
      const h = harness();
      const e = await rejection(h.auth.getToken('nope'));
      expect(ConfigError.is(e)).to.equal(true);
      expect((e as ConfigError).message).to.contain('nope').and.contain('bank');
    });
  });

  describe('single flight', () => {
    it('shares one fetch between hundreds of concurrent callers', async () => {
      const h = harness();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      h.transport.reply(async () => {
        await gate;
        return tokenReply('shared');
      });
      const callers = Array.from({ length: 500 }, () => h.auth.getToken('bank'));
      release();
      const tokens = await Promise.all(callers);
      expect(new Set(tokens.map((t) => t.accessToken))).to.deep.equal(new Set(['shared']));
      expect(h.transport.requests).to.have.length(1);
    });

    it('gives every waiter the same failure, and the next call fetches again', async () => {
      const h = harness();
      h.transport.reply(errorReply(400, { error: 'invalid_request' }), tokenReply('t2'));
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => h.auth.getToken('bank')));
      expect(results.every((r) => r.status === 'rejected' && TokenEndpointError.is(r.reason))).to.equal(true);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t2');
      expect(h.transport.requests).to.have.length(2);
    });

    it('lets a caller give up (AbortSignal) without failing the fetch others wait on', async () => {
      const h = harness();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      h.transport.reply(async () => {
        await gate;
        return tokenReply('late');
      });
      const quitter = new AbortController();
      const impatient = h.auth.getToken('bank', { signal: quitter.signal });
      const patient = h.auth.getToken('bank');
      quitter.abort(new Error('caller gave up'));
      expect(((await rejection(impatient)) as Error).message).to.equal('caller gave up');
      release();
      expect((await patient).accessToken).to.equal('late');
      expect(h.transport.requests).to.have.length(1);
    });

    it('rejects at once for a signal already aborted', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t'));
      const e = await rejection(h.auth.getToken('bank', { signal: AbortSignal.abort(new Error('already')) }));
      expect((e as Error).message).to.equal('already');
    });
  });

  describe('retries', () => {
    it('retries 429, 502, 503 and 504 and builds the request again each attempt', async () => {
      const h = harness({ retry: { maxRetries: 4, maxDelayMs: 5000 } });
      h.transport.reply(errorReply(429), errorReply(502), errorReply(503), errorReply(504), tokenReply('ok'));
      expect((await h.auth.getToken('bank')).accessToken).to.equal('ok');
      expect(h.transport.requests).to.have.length(5);
      expect(h.strategies[0]!.prepared.map((p) => p.attempt)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(h.clock.sleeps).to.have.length(4);
      expect(h.events.filter((e) => e.name === 'token.retry')).to.have.length(4);
    });

    it('honours Retry-After in seconds', async () => {
      const h = harness();
      h.transport.reply(errorReply(429, {}, { 'retry-after': '3' }), tokenReply('ok'));
      await h.auth.getToken('bank');
      expect(h.clock.sleeps).to.deep.equal([3000]);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const h = harness();
      const at = new Date(h.clock.now() + 4000).toUTCString();
      h.transport.reply(errorReply(503, {}, { 'retry-after': at }), tokenReply('ok'));
      await h.auth.getToken('bank');
      expect(h.clock.sleeps[0]).to.be.within(4000, 4000);
    });

    it('fails at once when Retry-After asks for more than retry.maxDelayMs', async () => {
      const h = harness({ retry: { maxRetries: 2, maxDelayMs: 1000 } });
      h.transport.reply(errorReply(429, {}, { 'retry-after': '60' }), tokenReply('never'));
      const e = (await rejection(h.auth.getToken('bank'))) as TokenEndpointError;
      expect(e.status).to.equal(429);
      expect(e.retryAfterMs).to.equal(60_000);
      expect(h.transport.requests).to.have.length(1);
    });

    it('gives up after maxRetries with the last error', async () => {
      const h = harness({ retry: { maxRetries: 2, maxDelayMs: 5000 } });
      h.transport.fallback = errorReply(503);
      const e = (await rejection(h.auth.getToken('bank'))) as TokenEndpointError;
      expect(e.status).to.equal(503);
      expect(h.transport.requests).to.have.length(3);
    });

    for (const status of [400, 401, 403, 500]) {
      it(`never retries ${status}`, async () => {
        const h = harness();
        h.transport.fallback = errorReply(status, { error: 'x' });
        await rejection(h.auth.getToken('bank'));
        expect(h.transport.requests).to.have.length(1);
      });
    }

    it('retries network failures and timeouts, not TLS failures', async () => {
      const h = harness();
      h.transport.reply(new TransportError('reset', { reason: 'network', errno: 'ECONNRESET' }), new TransportError('slow', { reason: 'timeout' }), tokenReply('ok'));
      expect((await h.auth.getToken('bank')).accessToken).to.equal('ok');
      const t = harness();
      t.transport.fallback = new TransportError('bad cert', { reason: 'tls', errno: 'CERT_HAS_EXPIRED' });
      expect(TransportError.is(await rejection(t.auth.getToken('bank')))).to.equal(true);
      expect(t.transport.requests).to.have.length(1);
    });

    it('asks the strategy to recover once after a failure it would not retry', async () => {
      const h = harness();
      h.strategies[0]!.recoverAnswer = true;
      h.transport.reply(errorReply(404, { errors: ['gone'] }), tokenReply('after-recovery'));
      expect((await h.auth.getToken('bank')).accessToken).to.equal('after-recovery');
      expect(h.strategies[0]!.recoverCalls).to.equal(1);
    });

    it('recovers at most once per fetch', async () => {
      const h = harness();
      h.strategies[0]!.recoverAnswer = true;
      h.transport.reply(errorReply(404, { errors: ['gone'] }), errorReply(404, { errors: ['still gone'] }));
      const e = (await rejection(h.auth.getToken('bank'))) as TokenEndpointError;
      expect(e.errors).to.deep.equal(['still gone']);
      expect(h.strategies[0]!.recoverCalls).to.equal(1);
      expect(h.transport.requests).to.have.length(2);
    });

    it('recovers as many times as the strategy asks (an adaptive setting: one per variant)', async () => {
      const h = harness();
      h.strategies[0]!.recoverAnswer = true;
      h.strategies[0]!.maxRecoveries = 3;
      h.transport.reply(errorReply(401, { error: 'invalid_client' }), errorReply(401, { error: 'invalid_client' }), errorReply(401, { error: 'invalid_client' }), tokenReply('fourth'));
      expect((await h.auth.getToken('bank')).accessToken).to.equal('fourth');
      expect(h.strategies[0]!.recoverCalls).to.equal(3);
      // One fetch: every attempt saw the same per-fetch object; the next fetch gets a new one.
      const fetches = h.strategies[0]!.fetches;
      expect(new Set(fetches).size).to.equal(1);
      h.transport.reply(tokenReply('next'));
      await h.auth.getToken('bank', { forceRefresh: true });
      expect(new Set(fetches).size).to.equal(2);
    });

    it('caps the recoveries of a strategy that asks for too many at MAX_RECOVERIES', async () => {
      const h = harness();
      h.strategies[0]!.recoverAnswer = true;
      h.strategies[0]!.maxRecoveries = 1000;
      h.transport.fallback = errorReply(401, { error: 'invalid_client' });
      await rejection(h.auth.getToken('bank'));
      expect(h.transport.requests).to.have.length(MAX_RECOVERIES + 1);
    });

    it('ends the fetch with the error recover() throws (the first, standard rejection), not the last one', async () => {
      const h = harness();
      const first = new TokenEndpointError('first', { status: 401, error: 'invalid_client', errorDescription: undefined, errors: undefined, interactionId: undefined, retryable: false, retryAfterMs: undefined }, { providerId: 'bank' });
      h.strategies[0]!.recoverThrows = first;
      h.transport.reply(errorReply(401, { error: 'invalid_client' }));
      expect(await rejection(h.auth.getToken('bank'))).to.equal(first);
      expect(h.transport.requests).to.have.length(1);
    });

    it('does not try again when the strategy cannot recover', async () => {
      const h = harness();
      h.transport.reply(errorReply(404, { errors: ['gone'] }), tokenReply('never'));
      await rejection(h.auth.getToken('bank'));
      expect(h.strategies[0]!.recoverCalls).to.equal(1);
      expect(h.transport.requests).to.have.length(1);
    });
  });

  describe('degradation', () => {
    it('serves the cached token while it is still valid when a refresh fails', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1', 3600), errorReply(503), errorReply(503), errorReply(503));
      await h.auth.getToken('bank');
      h.clock.advance(3600_000 - 30_000);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      await requests(h, 4);
      expect((await h.auth.getToken('bank')).accessToken).to.equal('t1');
      expect(h.events.some((e) => e.name === 'token.stale_served')).to.equal(true);
      expect(h.logs.some((l) => l.level === 'warn' && /serving the cached token/.test(l.message))).to.equal(true);
    });

    it('does not serve a stale token for forceRefresh', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1', 3600));
      await h.auth.getToken('bank');
      h.transport.fallback = errorReply(400, { error: 'invalid_client' });
      expect(TokenEndpointError.is(await rejection(h.auth.getToken('bank', { forceRefresh: true })))).to.equal(true);
    });
  });

  describe('redaction', () => {
    it('scrubs the secret and the request credentials from a server that echoes them', async () => {
      const h = harness();
      h.transport.fallback = (req) => errorReply(400, { error: 'invalid_client', error_description: `bad body ${req.body}` });
      const e = (await rejection(h.auth.getToken('bank'))) as TokenEndpointError;
      for (const text of [e.message, e.errorDescription ?? '', JSON.stringify(e), e.stack ?? '']) {
        expect(text).to.not.contain('stub-secret-value-123');
      }
      expect(e.message).to.contain('[REDACTED]');
    });

    it('masks a secret before shortening server text, so no half of it survives the cut', async () => {
      const h = harness();
      // The secret straddles the 300-character limit: shortening first would keep its first half.
      h.transport.fallback = () => errorReply(400, { error: 'invalid_client', error_description: `${'x'.repeat(290)}stub-secret-value-123 trailing` });
      const e = (await rejection(h.auth.getToken('bank'))) as TokenEndpointError;
      for (const text of [e.message, e.errorDescription ?? '', JSON.stringify(e)]) {
        expect(text).to.not.contain('stub-secre');
      }
      expect(e.errorDescription).to.contain('[REDACTED]');
    });

    it('never logs a secret or a token', async () => {
      const h = harness();
      h.transport.reply(errorReply(503), tokenReply('the-access-token-value'));
      await h.auth.getToken('bank');
      const logged = JSON.stringify(h.logs) + JSON.stringify(h.events);
      expect(logged).to.not.contain('stub-secret-value-123');
      expect(logged).to.not.contain('the-access-token-value');
    });
  });

  describe('close', () => {
    it('closes transports and strategies, and rejects later calls', async () => {
      const h = harness();
      h.transport.reply(tokenReply('t1'));
      await h.auth.getToken('bank');
      await h.auth.close();
      expect(h.transport.closed).to.equal(true);
      expect(h.strategies[0]!.closed).to.equal(true);
      const e = await rejection(h.auth.getToken('bank'));
      expect(ConfigError.is(e)).to.equal(true);
      expect((e as Error).message).to.contain('closed');
    });

    it('stops a retry wait in progress', async () => {
      const h = harness();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      h.transport.reply(async () => {
        await gate;
        return errorReply(503);
      });
      const pending = h.auth.getToken('bank');
      await h.auth.close();
      release();
      const e = await rejection(pending);
      expect(ConfigError.is(e)).to.equal(true);
    });
  });

  it('reports a 2xx garbage body as ResponseFormatError', async () => {
    const h = harness();
    h.transport.reply({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    expect(ResponseFormatError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
  });
});
