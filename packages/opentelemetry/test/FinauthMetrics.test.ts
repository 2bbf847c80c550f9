import { expect } from 'chai';
import { openTelemetry } from '../src/index.js';
import { startOtel, valueWhere, type OtelHarness } from './support/otelHarness.js';

/** Events core and cache-redis emit that no sandbox run triggers on demand: fed directly. */
describe('openTelemetry() metrics from events', () => {
  let otel: OtelHarness;
  beforeEach(() => {
    otel = startOtel();
  });
  afterEach(async () => {
    await otel.shutdown();
  });

  it('reports circuit state per provider (0 closed, 1 half-open, 2 open) and counts transitions', async () => {
    const t = openTelemetry({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    t.emit({ name: 'circuit.open', providerId: 'a' });
    t.emit({ name: 'circuit.open', providerId: 'b' });
    t.emit({ name: 'circuit.half_open', providerId: 'b' });
    const state = await otel.points('finauth.circuit.state');
    expect(valueWhere(state, { 'finauth.provider.id': 'a' })).to.equal(2);
    expect(valueWhere(state, { 'finauth.provider.id': 'b' })).to.equal(1);
    t.emit({ name: 'circuit.closed', providerId: 'b' });
    expect(valueWhere(await otel.points('finauth.circuit.state'), { 'finauth.provider.id': 'b' })).to.equal(0);
    expect(valueWhere(await otel.points('finauth.circuit.transitions'), { 'finauth.circuit.state': 'open' })).to.equal(2);
  });

  it('reports shared-cache degradation as a 0/1 gauge and counts degradations once per outage', async () => {
    const t = openTelemetry({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    t.emit({ name: 'cache.degraded', providerId: '*', attributes: { reason: 'ECONNREFUSED' } });
    t.emit({ name: 'cache.degraded', providerId: '*' });
    expect(valueWhere(await otel.points('finauth.cache.degraded'), {})).to.equal(1);
    t.emit({ name: 'cache.recovered', providerId: '*' });
    expect(valueWhere(await otel.points('finauth.cache.degraded'), {})).to.equal(0);
    expect(valueWhere(await otel.points('finauth.cache.degradations'), {})).to.equal(1);
  });

  it('counts a frozen hit event emitted again and again (core reuses one per provider) per provider and result', async () => {
    const t = openTelemetry({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    const hitA = Object.freeze({ name: 'token.cache_hit', providerId: 'a' });
    const hitB = Object.freeze({ name: 'token.cache_hit', providerId: 'b' });
    for (let i = 0; i < 5; i++) t.emit(hitA);
    t.emit(hitB);
    t.emit({ name: 'token.cache_miss', providerId: 'a' });
    for (let i = 0; i < 3; i++) t.emit(hitA);
    // An event object that is not frozen may be reused with other contents: each is read anew.
    const reused: { name: string; providerId: string } = { name: 'token.cache_hit', providerId: 'b' };
    t.emit(reused);
    reused.name = 'token.cache_miss';
    t.emit(reused);
    const lookups = await otel.points('finauth.token.cache.lookups');
    expect(valueWhere(lookups, { 'finauth.provider.id': 'a', 'finauth.cache.result': 'hit' })).to.equal(8);
    expect(valueWhere(lookups, { 'finauth.provider.id': 'b', 'finauth.cache.result': 'hit' })).to.equal(2);
    expect(valueWhere(lookups, { 'finauth.provider.id': 'a', 'finauth.cache.result': 'miss' })).to.equal(1);
    expect(valueWhere(lookups, { 'finauth.provider.id': 'b', 'finauth.cache.result': 'miss' })).to.equal(1);
  });

  it('counts shared waits and stale serves as cache lookups, other events by name', async () => {
    const t = openTelemetry({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider });
    t.emit({ name: 'token.shared_wait', providerId: 'p', durationMs: 12 });
    t.emit({ name: 'token.stale_served', providerId: 'p' });
    t.emit({ name: 'auth.adapted', providerId: 'p', attributes: { from: 'issuer', to: 'token_endpoint' } });
    const lookups = await otel.points('finauth.token.cache.lookups');
    expect(valueWhere(lookups, { 'finauth.cache.result': 'shared_wait' })).to.equal(1);
    expect(valueWhere(lookups, { 'finauth.cache.result': 'stale' })).to.equal(1);
    expect(valueWhere(await otel.points('finauth.events'), { 'finauth.event': 'auth.adapted', 'finauth.provider.id': 'p' })).to.equal(1);
  });

  it('measures time to expiry with the clock it is given', async () => {
    let now = 1_000_000;
    const t = openTelemetry({ meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider, now: () => now });
    t.emit({ name: 'token.fetched', providerId: 'p', durationMs: 5, attributes: { strategy: 's', expiresAt: now + 300_000 } });
    expect(valueWhere(await otel.points('finauth.token.time_to_expiry'), { 'finauth.provider.id': 'p' })).to.equal(300);
    now += 400_000;
    expect(valueWhere(await otel.points('finauth.token.time_to_expiry'), { 'finauth.provider.id': 'p' })).to.equal(0);
  });
});
