import { expect } from 'chai';
import { ConfigError, ProviderUnavailableError, TokenEndpointError } from '../src/errors/index.js';
import { harness, rejection } from './support/harness.js';
import { ManualClock } from './support/ManualClock.js';
import { errorReply, tokenReply } from './support/ScriptedTransport.js';

const circuitEvents = (h: ReturnType<typeof harness>): string[] => h.events.map((e) => e.name).filter((n) => n.startsWith('circuit.'));

describe('circuit breaker at the token endpoint', () => {
  const quick = { retry: { maxRetries: 0, maxDelayMs: 1000 }, circuit: { failureThreshold: 3, coolDownMs: 10_000 } };

  it('opens after failureThreshold retryable failures in a row, then fails at once without a request', async () => {
    const clock = new ManualClock();
    const h = harness(quick, { clock });
    h.transport.fallback = errorReply(503, { error: 'temporarily_unavailable' });
    for (let i = 0; i < 3; i++) expect(TokenEndpointError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
    expect(h.transport.requests).to.have.length(3);
    expect(circuitEvents(h)).to.deep.equal(['circuit.open']);
    clock.advance(4_000);
    const e = await rejection(h.auth.getToken('bank'));
    expect(ProviderUnavailableError.is(e)).to.equal(true);
    const unavailable = e as ProviderUnavailableError;
    expect(unavailable.code).to.equal('FINAUTH_PROVIDER_UNAVAILABLE');
    expect(unavailable.retryAfterMs).to.equal(6_000);
    expect(unavailable.providerId).to.equal('bank');
    expect(TokenEndpointError.is(unavailable.cause)).to.equal(true);
    expect((unavailable.cause as TokenEndpointError).status).to.equal(503);
    expect(h.transport.requests).to.have.length(3);
    expect(JSON.stringify(unavailable)).to.not.include('stub-secret-value-123');
    expect(h.auth.health().providers['bank']).to.include({ status: 'down', circuit: 'open' });
  });

  it('counts attempts, so retries inside one call open it too, and stops retrying once open', async () => {
    const h = harness({ retry: { maxRetries: 5, maxDelayMs: 1000 }, circuit: { failureThreshold: 2, coolDownMs: 10_000 } });
    h.transport.fallback = errorReply(502);
    expect(TokenEndpointError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
    expect(h.transport.requests).to.have.length(2);
    expect(ProviderUnavailableError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
    expect(h.transport.requests).to.have.length(2);
  });

  it('does not count 400/401 answers, and an answer resets the count', async () => {
    const h = harness(quick);
    h.transport.reply(errorReply(503), errorReply(503), errorReply(401, { error: 'invalid_client' }), errorReply(503), errorReply(503), tokenReply('ok'));
    for (let i = 0; i < 5; i++) await rejection(h.auth.getToken('bank'));
    expect((await h.auth.getToken('bank')).accessToken).to.equal('ok');
    expect(circuitEvents(h)).to.deep.equal([]);
  });

  it('keeps serving a still-valid cached token while open', async () => {
    const clock = new ManualClock();
    const h = harness(quick, { clock });
    h.transport.reply(tokenReply('cached', 3600));
    await h.auth.getToken('bank');
    h.transport.fallback = errorReply(504);
    for (let i = 0; i < 3; i++) await rejection(h.auth.getToken('bank', { forceRefresh: true }));
    expect(circuitEvents(h)).to.deep.equal(['circuit.open']);
    expect((await h.auth.getToken('bank')).accessToken).to.equal('cached');
    expect(ProviderUnavailableError.is(await rejection(h.auth.getToken('bank', { forceRefresh: true })))).to.equal(true);
    expect(h.transport.requests).to.have.length(4);
    expect(h.auth.health().providers['bank']).to.include({ status: 'degraded', circuit: 'open' });
  });

  it('after the cool-down lets exactly one probe through; success closes it', async () => {
    const clock = new ManualClock();
    const h = harness(quick, { clock });
    h.transport.reply(errorReply(503), errorReply(503), errorReply(503));
    for (let i = 0; i < 3; i++) await rejection(h.auth.getToken('bank'));
    clock.advance(10_000);
    let release!: () => void;
    h.transport.reply(() => new Promise((resolve) => (release = () => resolve(tokenReply('probe-ok')))));
    const probe = h.auth.getToken('bank');
    await new Promise((r) => setImmediate(r));
    // Another scope: not the probe's single flight, so it meets the half-open circuit itself.
    const other = await rejection(h.auth.getToken('bank', { scope: 'other' }));
    expect(ProviderUnavailableError.is(other)).to.equal(true);
    release();
    expect((await probe).accessToken).to.equal('probe-ok');
    expect(h.transport.requests).to.have.length(4);
    expect(circuitEvents(h)).to.deep.equal(['circuit.open', 'circuit.half_open', 'circuit.closed']);
    expect(h.auth.health().providers['bank']).to.include({ status: 'ok', circuit: 'closed' });
  });

  it('a failed probe opens it again for another cool-down', async () => {
    const clock = new ManualClock();
    const h = harness(quick, { clock });
    h.transport.fallback = errorReply(429, {}, { 'retry-after': '1' });
    for (let i = 0; i < 3; i++) await rejection(h.auth.getToken('bank'));
    clock.advance(10_001);
    expect(TokenEndpointError.is(await rejection(h.auth.getToken('bank')))).to.equal(true);
    const e = (await rejection(h.auth.getToken('bank'))) as ProviderUnavailableError;
    expect(ProviderUnavailableError.is(e)).to.equal(true);
    expect(e.retryAfterMs).to.equal(10_000);
    expect(h.transport.requests).to.have.length(4);
    expect(circuitEvents(h)).to.deep.equal(['circuit.open', 'circuit.half_open', 'circuit.open']);
  });

  it('uses documented defaults (5 failures, 30 s) and validates per-provider settings', async () => {
    const clock = new ManualClock();
    const h = harness({ retry: { maxRetries: 0, maxDelayMs: 1000 } }, { clock });
    h.transport.fallback = errorReply(503);
    for (let i = 0; i < 4; i++) await rejection(h.auth.getToken('bank'));
    expect(circuitEvents(h)).to.deep.equal([]);
    await rejection(h.auth.getToken('bank'));
    expect(((await rejection(h.auth.getToken('bank'))) as ProviderUnavailableError).retryAfterMs).to.equal(30_000);
    const bad = await rejection(Promise.resolve().then(() => harness({ circuit: { failureThreshold: 0, coolDownMs: 'soon' } })));
    expect(ConfigError.is(bad)).to.equal(true);
    expect((bad as ConfigError).issues.map((i) => i.path).sort()).to.deep.equal(['providers[0].circuit.coolDownMs', 'providers[0].circuit.failureThreshold']);
  });
});
