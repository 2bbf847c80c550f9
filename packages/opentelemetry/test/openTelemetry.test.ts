import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, type Finauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { fapiProvider, gatewayProvider, QUICK_RETRY, sandboxSuite } from '@finauth-test/support';
import { openTelemetry, type OpenTelemetryOptions } from '../src/index.js';
import { startOtel, valueWhere, type OtelHarness } from './support/otelHarness.js';

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;
/** Retries with a 10 ms base delay: the retry spans these tests count come at once. */
const FAST = { retry: { ...QUICK_RETRY, baseDelayMs: 10 } };

describe('@finauth/opentelemetry with the real SDK against the sandbox', () => {
  const suite = sandboxSuite();
  let otel: OtelHarness;
  let auth: Finauth | undefined;

  const create = (providers: Record<string, unknown>[], options: OpenTelemetryOptions = {}): Finauth => {
    auth = createFinauth({
      strategies: [fapi2(), clientSecretBasic()],
      providers,
      telemetry: openTelemetry({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider, ...options }),
    });
    return auth;
  };

  beforeEach(() => {
    otel = startOtel();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    await otel.shutdown();
  });

  describe('spans', () => {
    it('traces a fetch as one internal span with one client span per attempt carrying HTTP attributes', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await fa.getToken('bnp');
      const [fetch] = otel.spansNamed('finauth.token.fetch');
      const attempts = otel.spansNamed('finauth.token.attempt');
      expect(fetch, 'fetch span').to.not.equal(undefined);
      expect(fetch!.kind).to.equal(SpanKind.INTERNAL);
      expect(fetch!.attributes).to.include({ 'finauth.provider.id': 'bnp', 'finauth.strategy': 'client_secret_basic', 'finauth.auth_method': 'client_secret_basic' });
      expect(fetch!.status.code).to.not.equal(SpanStatusCode.ERROR);
      expect(attempts).to.have.length(1);
      const attempt = attempts[0]!;
      expect(attempt.kind).to.equal(SpanKind.CLIENT);
      expect(parentOf(attempt)).to.equal(idOf(fetch!));
      const url = new URL(suite.sandbox.gateway.tokenEndpoint);
      expect(attempt.attributes).to.include({
        'http.request.method': 'POST',
        'url.full': `${url.protocol}//${url.host}${url.pathname}`,
        'server.address': '127.0.0.1',
        'server.port': Number(url.port),
        'http.response.status_code': 200,
        'finauth.attempt': 0,
      });
    });

    it('creates no span for a cache hit', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await fa.getToken('bnp');
      otel.reset();
      await fa.getToken('bnp');
      expect(otel.spans()).to.have.length(0);
    });

    it('traces discovery as a client span under the first attempt (fapi2)', async () => {
      const fa = create([fapiProvider(suite.sandbox, 'ps256', { id: 'ofp', ...FAST })]);
      await fa.getToken('ofp');
      const [attempt] = otel.spansNamed('finauth.token.attempt');
      const discovery = otel.spansNamed('finauth.discovery');
      expect(discovery.length).to.be.greaterThan(0);
      expect(parentOf(discovery[0]!)).to.equal(idOf(attempt!));
      expect(discovery[0]!.kind).to.equal(SpanKind.CLIENT);
      expect(String(discovery[0]!.attributes['url.full'])).to.match(/\/\.well-known\/(openid-configuration|oauth-authorization-server)$/);
      expect(discovery[0]!.attributes).to.include({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
    });

    it('records a retry as a second attempt span and a finauth.retry event; the failed attempt has its status and error.type', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 503, times: 1 });
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await fa.getToken('bnp');
      const [fetch] = otel.spansNamed('finauth.token.fetch');
      const attempts = otel.spansNamed('finauth.token.attempt').sort((a, b) => Number(a.attributes['finauth.attempt']) - Number(b.attributes['finauth.attempt']));
      expect(attempts).to.have.length(2);
      expect(attempts[0]!.status.code).to.equal(SpanStatusCode.ERROR);
      expect(attempts[0]!.attributes).to.include({ 'http.response.status_code': 503, 'error.type': 'FINAUTH_TOKEN_ENDPOINT' });
      expect(attempts[1]!.attributes).to.include({ 'http.response.status_code': 200 });
      const retry = fetch!.events.find((e) => e.name === 'finauth.retry');
      expect(retry?.attributes).to.include({ 'finauth.retry': 1, 'error.type': 'FINAUTH_TOKEN_ENDPOINT' });
      expect(fetch!.status.code).to.not.equal(SpanStatusCode.ERROR);
    });

    it('marks a failed fetch with error status and the error code only', async () => {
      const fa = create([gatewayProvider(suite.sandbox, { ...FAST, clientSecret: 'wrong-secret-value-123' })]);
      const error = await fa.getToken('bnp').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.have.property('code', 'FINAUTH_TOKEN_ENDPOINT');
      const [fetch] = otel.spansNamed('finauth.token.fetch');
      expect(fetch!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'FINAUTH_TOKEN_ENDPOINT' });
      expect(fetch!.attributes['error.type']).to.equal('FINAUTH_TOKEN_ENDPOINT');
      expect(fetch!.events.map((e) => e.name)).to.not.include('exception');
    });

    it('shares one fetch span among a stampede of callers', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await Promise.all(Array.from({ length: 50 }, () => fa.getToken('bnp')));
      expect(otel.spansNamed('finauth.token.fetch')).to.have.length(1);
      expect(suite.sandbox.gateway.stats.tokenRequests).to.be.greaterThan(0);
      const lookups = await otel.points('finauth.token.cache.lookups');
      expect(valueWhere(lookups, { 'finauth.cache.result': 'miss' })).to.equal(1);
      expect(valueWhere(lookups, { 'finauth.cache.result': 'wait' })).to.equal(49);
    });

    it("makes the fetch span a child of the caller's active span", async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      let callerSpanId = '';
      let callerTraceId = '';
      await otel.appTracer.startActiveSpan('handle-payment', async (span) => {
        callerSpanId = span.spanContext().spanId;
        callerTraceId = span.spanContext().traceId;
        await fa.getToken('bnp');
        span.end();
      });
      const [fetch] = otel.spansNamed('finauth.token.fetch');
      expect(parentOf(fetch!)).to.equal(callerSpanId);
      expect(fetch!.spanContext().traceId).to.equal(callerTraceId);
    });

    it('sends no traceparent by default', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await otel.appTracer.startActiveSpan('caller', async (span) => {
        await fa.getToken('bnp');
        span.end();
      });
      const sent = suite.sandbox.gateway.log.filter((r) => r.method === 'POST');
      expect(sent).to.have.length(1);
      expect(sent[0]!.headers).to.not.have.property('traceparent');
    });

    it('sends the attempt span as traceparent when propagateTraceContext is on', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)], { propagateTraceContext: true });
      await fa.getToken('bnp');
      const [attempt] = otel.spansNamed('finauth.token.attempt');
      const sent = suite.sandbox.gateway.log.filter((r) => r.method === 'POST');
      const { traceId, spanId } = attempt!.spanContext();
      expect(sent[0]!.headers['traceparent']).to.match(new RegExp(`^00-${traceId}-${spanId}-0[01]$`));
    });
  });

  describe('metrics', () => {
    it('counts requests by outcome, durations, cache hits and time to expiry', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await fa.getToken('bnp');
      await fa.getToken('bnp');
      await fa.getToken('bnp');
      const requests = await otel.points('finauth.token.requests');
      expect(valueWhere(requests, { 'finauth.provider.id': 'bnp', 'finauth.strategy': 'client_secret_basic', 'finauth.outcome': 'success' })).to.equal(1);
      const duration = await otel.points('finauth.token.acquisition.duration');
      expect(valueWhere(duration, { 'finauth.provider.id': 'bnp', 'finauth.outcome': 'success' })).to.equal(1);
      const lookups = await otel.points('finauth.token.cache.lookups');
      expect(valueWhere(lookups, { 'finauth.provider.id': 'bnp', 'finauth.cache.result': 'hit' })).to.equal(2);
      expect(valueWhere(lookups, { 'finauth.cache.result': 'miss' })).to.equal(1);
      const ttl = await otel.points('finauth.token.time_to_expiry');
      const seconds = ttl.find((p) => p.attributes['finauth.provider.id'] === 'bnp')?.value as number;
      // The gateway's tokens live 300 s (sandbox default).
      expect(seconds).to.be.greaterThan(250).and.at.most(300);
    });

    it('counts failures by error code and retries by the error that caused them', async () => {
      suite.sandbox.gateway.faults.set({ kind: 'status', status: 503 });
      const fa = create([gatewayProvider(suite.sandbox, FAST)]);
      await fa.getToken('bnp').catch(() => undefined);
      const requests = await otel.points('finauth.token.requests');
      expect(valueWhere(requests, { 'finauth.outcome': 'failure', 'error.type': 'FINAUTH_TOKEN_ENDPOINT' })).to.equal(1);
      expect(valueWhere(requests, { 'finauth.outcome': 'success' })).to.equal(0);
      const retries = await otel.points('finauth.token.retries');
      expect(valueWhere(retries, { 'finauth.provider.id': 'bnp', 'error.type': 'FINAUTH_TOKEN_ENDPOINT' })).to.equal(2);
    });

    it('counts strategy events (fapi2.rediscover after a 404) under finauth.events and marks the recovery on the fetch span', async () => {
      const fa = create([fapiProvider(suite.sandbox, 'ps256', { id: 'ofp', ...FAST })]);
      await fa.getToken('ofp');
      suite.sandbox.ofp.faults.set({ kind: 'status', status: 404, times: 1 });
      otel.reset();
      await fa.getToken('ofp', { forceRefresh: true });
      expect(valueWhere(await otel.points('finauth.events'), { 'finauth.provider.id': 'ofp', 'finauth.event': 'fapi2.rediscover' })).to.equal(1);
      const [fetch] = otel.spansNamed('finauth.token.fetch');
      expect(fetch!.events.map((e) => e.name)).to.include('finauth.recover');
      // The recovery discovered again: a discovery span under the second attempt.
      const attempts = otel.spansNamed('finauth.token.attempt');
      const discovery = otel.spansNamed('finauth.discovery');
      expect(attempts).to.have.length(2);
      expect(discovery.map(parentOf)).to.include(idOf(attempts.find((a) => a.attributes['finauth.attempt'] === 1)!));
      const requests = await otel.points('finauth.token.requests');
      expect(valueWhere(requests, { 'finauth.provider.id': 'ofp', 'finauth.strategy': 'fapi2', 'finauth.outcome': 'success' })).to.equal(2);
    });
  });

  describe('switched off', () => {
    it('traces: false starts no span; metrics: false records no metric', async () => {
      const fa = create([gatewayProvider(suite.sandbox, FAST)], { traces: false, metrics: false });
      await fa.getToken('bnp');
      expect(otel.spans()).to.have.length(0);
      expect(await otel.points('finauth.token.requests')).to.have.length(0);
    });
  });
});
