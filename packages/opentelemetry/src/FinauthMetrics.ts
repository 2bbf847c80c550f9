import { ValueType, type Attributes, type Counter, type Histogram, type Meter, type ObservableResult } from '@opentelemetry/api';
import type { TelemetryEvent } from '@finauth/core';
import { ATTR } from './attributes.js';

/** Circuit states as the gauge reports them (0 closed: requests flow; 2 open: they fail fast). */
const CIRCUIT_STATE = { closed: 0, half_open: 1, open: 2 } as const;
type CircuitState = keyof typeof CIRCUIT_STATE;

/** Seconds: a token call spans from a cache answer (µs) to a bank that takes seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Cache results core reports through its events. */
const CACHE_RESULTS: Readonly<Record<string, string>> = {
  'token.cache_hit': 'hit',
  'token.cache_miss': 'miss',
  'token.wait': 'wait',
  'token.shared_wait': 'shared_wait',
  'token.stale_served': 'stale',
};

/**
 * finauth's events as OpenTelemetry metrics (names and units: docs/guides/observability.md).
 * Only known, bounded attributes become metric attributes: provider, strategy, outcome, error code.
 */
export class FinauthMetrics {
  private readonly requests: Counter;
  private readonly duration: Histogram;
  private readonly retries: Counter;
  private readonly circuitTransitions: Counter;
  private readonly degradations: Counter;
  private readonly events: Counter;
  /** Attribute sets of the cache-lookup counter, built once per provider and result: the cache hit allocates nothing. */
  private readonly lookupAttributes = new Map<string, Map<string, Attributes>>();
  /**
   * Cache lookups counted here and reported at collection time (an asynchronous counter): a
   * synchronous SDK counter costs microseconds per add, several times the cache hit itself.
   */
  private readonly lookupCounts = new Map<Attributes, { count: number }>();
  /**
   * The last frozen cache event seen and its count: core emits one frozen event object per
   * provider for its cache hits, so a hit costs an identity check and an increment.
   */
  private lastLookup: { event: TelemetryEvent; cell: { count: number } } | undefined;
  private readonly expiries = new Map<string, number>();
  private readonly circuits = new Map<string, CircuitState>();
  private degraded = false;

  constructor(
    meter: Meter,
    private readonly now: () => number,
  ) {
    this.requests = meter.createCounter('finauth.token.requests', { description: 'Token fetches from the bank (cache misses, refreshes), by outcome', unit: '{request}', valueType: ValueType.INT });
    this.duration = meter.createHistogram('finauth.token.acquisition.duration', {
      description: 'Time to fetch a token from the bank: every attempt, retry and backoff of one fetch',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    meter
      .createObservableCounter('finauth.token.cache.lookups', { description: 'getToken calls by what the cache answered: hit, miss, wait (joined a fetch in flight), shared_wait (another process fetched), stale', unit: '{lookup}', valueType: ValueType.INT })
      .addCallback((result) => {
        for (const [attributes, cell] of this.lookupCounts) result.observe(cell.count, attributes);
      });
    this.retries = meter.createCounter('finauth.token.retries', { description: 'Retried token attempts, by the error that caused the retry', unit: '{retry}', valueType: ValueType.INT });
    this.circuitTransitions = meter.createCounter('finauth.circuit.transitions', { description: 'Circuit breaker state changes at the token endpoint', unit: '{transition}', valueType: ValueType.INT });
    this.degradations = meter.createCounter('finauth.cache.degradations', { description: 'Times the shared token cache became unreachable', unit: '{degradation}', valueType: ValueType.INT });
    this.events = meter.createCounter('finauth.events', { description: 'Other finauth events (strategy events such as fapi2.rediscover, auth.adapted)', unit: '{event}', valueType: ValueType.INT });
    meter
      .createObservableGauge('finauth.token.time_to_expiry', { description: 'Seconds until the last token fetched for a provider expires', unit: 's' })
      .addCallback((result) => this.observeExpiries(result));
    meter
      .createObservableGauge('finauth.circuit.state', { description: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open', unit: '{state}', valueType: ValueType.INT })
      .addCallback((result) => {
        for (const [providerId, state] of this.circuits) result.observe(CIRCUIT_STATE[state], { [ATTR.providerId]: providerId });
      });
    meter
      .createObservableGauge('finauth.cache.degraded', { description: '1 while the shared token cache is unreachable and each process fetches its own tokens', unit: '1', valueType: ValueType.INT })
      .addCallback((result) => result.observe(this.degraded ? 1 : 0));
  }

  record(event: TelemetryEvent): void {
    const last = this.lastLookup;
    if (last !== undefined && last.event === event) {
      last.cell.count++;
      return;
    }
    const cacheResult = CACHE_RESULTS[event.name];
    if (cacheResult !== undefined) {
      const attributes = this.lookupAttributesFor(event.providerId, cacheResult);
      let cell = this.lookupCounts.get(attributes);
      if (!cell) this.lookupCounts.set(attributes, (cell = { count: 0 }));
      cell.count++;
      // Only a frozen event can be trusted to mean the same thing when it comes again.
      if (Object.isFrozen(event)) this.lastLookup = { event, cell };
      return;
    }
    const attrs = event.attributes ?? {};
    switch (event.name) {
      case 'token.fetched':
      case 'token.failed': {
        const ok = event.name === 'token.fetched';
        const labels: Attributes = { [ATTR.providerId]: event.providerId };
        if (typeof attrs['strategy'] === 'string') labels[ATTR.strategy] = attrs['strategy'];
        labels[ATTR.outcome] = ok ? 'success' : 'failure';
        if (!ok) labels[ATTR.errorType] = String(attrs['code'] ?? 'unknown');
        this.requests.add(1, labels);
        if (event.durationMs !== undefined) this.duration.record(event.durationMs / 1000, labels);
        if (ok && typeof attrs['expiresAt'] === 'number') this.expiries.set(event.providerId, attrs['expiresAt']);
        return;
      }
      case 'token.retry':
        this.retries.add(1, { [ATTR.providerId]: event.providerId, [ATTR.errorType]: String(attrs['code'] ?? 'unknown') });
        return;
      case 'circuit.open':
      case 'circuit.half_open':
      case 'circuit.closed': {
        const state = event.name.slice('circuit.'.length) as CircuitState;
        this.circuits.set(event.providerId, state);
        this.circuitTransitions.add(1, { [ATTR.providerId]: event.providerId, [ATTR.circuitState]: state });
        return;
      }
      case 'cache.degraded':
        if (!this.degraded) this.degradations.add(1);
        this.degraded = true;
        return;
      case 'cache.recovered':
        this.degraded = false;
        return;
      default:
        this.events.add(1, { [ATTR.providerId]: event.providerId, [ATTR.event]: event.name.slice(0, 64) });
    }
  }

  private lookupAttributesFor(providerId: string, result: string): Attributes {
    let byResult = this.lookupAttributes.get(providerId);
    if (!byResult) this.lookupAttributes.set(providerId, (byResult = new Map()));
    let attributes = byResult.get(result);
    if (!attributes) byResult.set(result, (attributes = Object.freeze({ [ATTR.providerId]: providerId, [ATTR.cacheResult]: result })));
    return attributes;
  }

  private observeExpiries(result: ObservableResult): void {
    const now = this.now();
    for (const [providerId, expiresAt] of this.expiries) result.observe(Math.max(0, (expiresAt - now) / 1000), { [ATTR.providerId]: providerId });
  }
}
