import { cacheEntryFor, type RefreshPolicy } from '../cache/refreshPolicy.js';
import { cacheKey } from '../cache/cacheKey.js';
import type { CachedToken, TokenCache } from '../cache/TokenCache.js';
import { ConfigError, FinauthError, TokenEndpointError } from '../errors/index.js';
import { backoffDelay, type BackoffSettings } from '../http/backoff.js';
import type { Transport } from '../http/Transport.js';
import type { Logger } from '../observability/Logger.js';
import { Redactor } from '../observability/Redactor.js';
import { noopTelemetry, type Telemetry, type TelemetryEvent, type TelemetrySpan } from '../observability/Telemetry.js';
import { errorType, httpAttributes, onSpan, startSpan, tracedTelemetry, tracedTransport } from '../observability/tracing.js';
import type { Strategy, TokenCallContext, TokenRequest } from '../strategy/Strategy.js';
import type { Clock } from '../time/Clock.js';
import type { AccessToken } from './AccessToken.js';
import type { GetTokenOptions } from './GetTokenOptions.js';
import { parseTokenResponse, type TokenResponseContext } from './parseTokenResponse.js';
import { normalizeScope } from './scope.js';
import { SingleFlight } from './SingleFlight.js';
import { ActivityGate } from './ActivityGate.js';
import { BackgroundRefresh } from './BackgroundRefresh.js';
import { CircuitBreaker, type CircuitSettings } from './CircuitBreaker.js';
import { KeepWarm } from './KeepWarm.js';
import { HealthRecorder } from '../health/HealthRecorder.js';
import type { ProviderHealth } from '../health/ProviderHealth.js';

export interface PipelineSettings {
  readonly providerId: string;
  readonly strategyKind: string;
  readonly identity: string;
  readonly defaultScope: string | undefined;
  readonly retry: BackoffSettings & { readonly maxRetries: number };
  readonly refresh: RefreshPolicy;
  /** Values of the provider's @SecretRef fields: masked in every message, like the strategy's own `secrets`. */
  readonly declaredSecrets?: readonly string[];
  readonly circuit: CircuitSettings;
  /** Refresh each fetched token at its refresh point without waiting for a caller. */
  readonly keepWarm?: boolean;
}

export interface PipelineDeps {
  readonly cache: TokenCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Aborted by `close()`: stops retries and in-flight requests. */
  readonly closing: AbortSignal;
}

/** Body parameters that carry no credential: everything else in a token request is scrubbed from errors. */
const PUBLIC_PARAMS = new Set(['grant_type', 'scope', 'client_id', 'client_assertion_type']);
/** The options of a plain `getToken(id)`: shared, so the cache-hit path allocates nothing for them. */
const NO_OPTIONS: GetTokenOptions = Object.freeze({});
/** The strategy options of a call that gives none: one frozen object, not one per attempt. */
const NO_STRATEGY_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});
/** However many recoveries a strategy asks for, one fetch makes at most this many extra attempts for them. */
export const MAX_RECOVERIES = 8;
/** A token this close to expiry is not served ahead of a refresh: the caller waits for the fetch. */
const REFRESH_AHEAD_MIN_MS = 1000;
/** Distinct scope strings remembered per provider before the memo starts over. */
const SCOPE_MEMO_LIMIT = 256;

/**
 * One provider's token pipeline: cache → single flight → strategy → transport → parser → cache.
 * The same path for every strategy (docs/architecture.md).
 */
export class TokenPipeline {
  readonly providerId: string;
  private readonly flights = new SingleFlight<AccessToken>();
  #redactor: Redactor | undefined;
  private readonly defaultKey: { key: string; scope: string[] };
  private readonly scopeMemo = new Map<string, { key: string; scope: string[] }>();
  private readonly emitsTelemetry: boolean;
  /** Fetches and resource requests in flight: a replaced provider closes when this is idle. */
  readonly activity = new ActivityGate();
  readonly circuit: CircuitBreaker;
  private readonly healthRecorder = new HealthRecorder();
  // Background parts are built on first use: a thousand providers that are never refreshed ahead
  // should not each carry an AbortController and its listener (docs/performance.md, scale).
  #background: BackgroundRefresh | undefined;
  #keepWarm: KeepWarm | undefined;
  /** Aborted by close() or the instance closing: ends this pipeline's background work. */
  #stopped: AbortController | undefined;
  #closed = false;
  /** The telemetry can trace: spans are created only then (no span objects on any path otherwise). */
  private readonly traces: boolean;
  /** One frozen event for every cache hit: telemetry on the hot path allocates nothing, and an adapter may key on it. */
  private readonly hitEvent: TelemetryEvent;
  /** The cache entry last served by `getToken(id)`, and its token as a settled promise. */
  #servedEntry: CachedToken | undefined;
  #served: Promise<AccessToken> | undefined;
  /** The strategy's reading of a non-standard success body, bound once. */
  private readonly normalize: TokenResponseContext['normalize'];

  constructor(
    private readonly settings: PipelineSettings,
    readonly strategy: Strategy,
    readonly transport: Transport,
    private readonly deps: PipelineDeps,
  ) {
    this.providerId = settings.providerId;
    const scope = normalizeScope(settings.defaultScope);
    this.defaultKey = { key: cacheKey(settings.identity, scope), scope };
    this.emitsTelemetry = deps.telemetry !== noopTelemetry;
    this.traces = typeof deps.telemetry.startSpan === 'function';
    this.normalize = strategy.normalizeTokenResponse?.bind(strategy);
    this.hitEvent = Object.freeze({ name: 'token.cache_hit', providerId: this.providerId });
    this.circuit = new CircuitBreaker(this.providerId, settings.circuit, deps.clock, (name, attributes) => {
      this.deps.logger[name === 'circuit.open' ? 'warn' : 'info'](`token endpoint ${name.replace('circuit.', 'circuit ')}`, { providerId: this.providerId });
      this.emit({ name, providerId: this.providerId, attributes });
    });
  }

  private get stopped(): AbortSignal {
    if (!this.#stopped) {
      const stopped = (this.#stopped = new AbortController());
      if (this.#closed || this.deps.closing.aborted) stopped.abort();
      else this.deps.closing.addEventListener('abort', () => stopped.abort(), { once: true, signal: stopped.signal });
    }
    return this.#stopped.signal;
  }

  private read(key: string): Promise<CachedToken | undefined> {
    return Promise.resolve(this.deps.cache.get(key));
  }

  private get background(): BackgroundRefresh {
    return (this.#background ??= new BackgroundRefresh({
      providerId: this.providerId,
      clock: this.deps.clock,
      logger: this.deps.logger,
      closing: this.stopped,
      backoff: this.settings.retry,
      refresh: (key, scope) => this.flights.runReleasing(key, (release) => this.fetch(key, scope, undefined, {}, release)),
      read: (key) => this.read(key),
      staleServed: (code) => this.emit({ name: 'token.stale_served', providerId: this.providerId, attributes: { code } }),
    }));
  }

  private get keepWarm(): KeepWarm | undefined {
    if (!this.settings.keepWarm) return undefined;
    return (this.#keepWarm ??= new KeepWarm({
      clock: this.deps.clock,
      closing: this.stopped,
      read: (key) => this.read(key),
      due: (key, scope, entry) => this.background.trigger(key, scope, entry.expiresAt),
    }));
  }

  /** What `auth.health()` shows for this provider: no I/O. */
  health(): ProviderHealth {
    return this.healthRecorder.view(this.deps.clock.now(), this.circuit.state);
  }

  /** Number of refreshes running in the background now (refresh ahead, keepWarm). */
  get backgroundRefreshes(): number {
    return this.#background?.size ?? 0;
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    if (this.deps.closing.aborted) return Promise.reject(closedError(this.providerId));
    // `getToken(id)`, the call a service makes per request: its own short path, so that what other
    // calls (forced refreshes, scopes) teach the optimiser does not slow it (docs/performance.md).
    if (options === undefined) return this.defaultToken();
    const { key, scope } = options.scope === undefined ? this.defaultKey : this.keyFor(options.scope);
    if (options.forceRefresh) return this.flights.runReleasing(key, (release) => this.fetch(key, scope, undefined, options, release), options.signal);
    return this.fromCache(key, scope, this.deps.cache.get(key), options);
  }

  private defaultToken(): Promise<AccessToken> {
    const { key, scope } = this.defaultKey;
    const hit = this.deps.cache.get(key);
    if (hit !== undefined && !isPromise(hit) && this.deps.clock.now() < hit.refreshAt) return this.hit(hit);
    return this.fromCache(key, scope, hit, NO_OPTIONS);
  }

  /**
   * A cached token served before its refresh point: the same settled promise for every hit on one
   * entry, so no allocation and no thenable check of the token per call (docs/performance.md, cache hit).
   */
  private hit(entry: CachedToken): Promise<AccessToken> {
    if (this.emitsTelemetry) this.emit(this.hitEvent);
    if (entry !== this.#servedEntry) {
      this.#servedEntry = entry;
      this.#served = Promise.resolve(entry.token);
    }
    return this.#served!;
  }

  /** What the cache answered (at once, or later for a shared cache), served or fetched. */
  private fromCache(key: string, scope: string[], hit: CachedToken | undefined | Promise<CachedToken | undefined>, options: GetTokenOptions): Promise<AccessToken> {
    if (hit === undefined || !isPromise(hit)) return this.served(key, scope, hit, options);
    return hit.then(
      (entry) => this.served(key, scope, entry, options),
      (error: unknown) => {
        this.deps.logger.warn('token cache read failed; fetching', { providerId: this.providerId, error: describe(error) });
        return this.served(key, scope, undefined, options);
      },
    );
  }

  private served(key: string, scope: string[], entry: CachedToken | undefined, options: GetTokenOptions): Promise<AccessToken> {
    if (entry !== undefined) {
      const now = this.deps.clock.now();
      if (now < entry.refreshAt) return this.hit(entry);
      // Refresh ahead: past its refresh point but still valid, the token is served now and one
      // refresh runs in the background; only a caller without a valid token waits.
      if (entry.expiresAt - now > REFRESH_AHEAD_MIN_MS) {
        this.background.trigger(key, scope, entry.expiresAt);
        if (this.emitsTelemetry) this.emit({ name: 'token.cache_hit', providerId: this.providerId, attributes: { refreshAhead: true } });
        return Promise.resolve(entry.token);
      }
    }
    if (this.emitsTelemetry) this.emit({ name: this.flights.has(key) ? 'token.wait' : 'token.cache_miss', providerId: this.providerId });
    return this.flights.runReleasing(key, (release) => this.fetch(key, scope, entry, options, release), options.signal);
  }

  /** Needed only when a request fails: built then, not for each of a thousand providers at creation. */
  private get redactor(): Redactor {
    return (this.#redactor ??= new Redactor([...(this.strategy.secrets ?? []), ...(this.settings.declaredSecrets ?? [])]));
  }

  private keyFor(scopeText: string): { key: string; scope: string[] } {
    let memo = this.scopeMemo.get(scopeText);
    if (!memo) {
      const scope = normalizeScope(scopeText);
      memo = { key: cacheKey(this.settings.identity, scope), scope };
      if (this.scopeMemo.size >= SCOPE_MEMO_LIMIT) this.scopeMemo.clear();
      this.scopeMemo.set(scopeText, memo);
    }
    return memo;
  }

  /**
   * Fetches, stores and returns a token; on failure serves a still-valid cached one if there is one.
   * Calls `release` (the single flight's) last, just before it settles.
   */
  private async fetch(key: string, scope: string[], stale: CachedToken | undefined, options: GetTokenOptions, release: () => void): Promise<AccessToken> {
    let started = 0;
    let span: TelemetrySpan | undefined;
    this.activity.enter();
    // Everything inside the try: `release` must run however this ends, or the key stays taken.
    try {
      started = this.deps.clock.now();
      span = this.traces ? this.fetchSpan(scope, options) : undefined;
      const { cache } = this.deps;
      let entry: CachedToken;
      if (cache.coordinate) {
        entry = await cache.coordinate(key, () => this.produce(scope, options, span), this.deps.closing);
      } else {
        entry = await this.produce(scope, options, span);
        try {
          // The default cache answers at once: no extra turn of the microtask queue for it.
          const written = cache.set(key, entry);
          if (written !== undefined) await written;
        } catch (error) {
          this.deps.logger.warn('token cache write failed', { providerId: this.providerId, error: describe(error) });
        }
      }
      if (this.emitsTelemetry) this.emit({ name: 'token.fetched', providerId: this.providerId, durationMs: this.deps.clock.now() - started, attributes: { strategy: this.settings.strategyKind, expiresAt: entry.expiresAt } });
      this.healthRecorder.succeeded(this.deps.clock.now(), entry.expiresAt);
      this.keepWarm?.schedule(key, scope, entry);
      if (span) onSpan(span, (s) => s.end());
      return entry.token;
    } catch (error) {
      const code = FinauthError.is(error) ? error.code : 'UNKNOWN';
      this.healthRecorder.failed(code, this.deps.clock.now());
      this.emit({ name: 'token.failed', providerId: this.providerId, durationMs: this.deps.clock.now() - started, attributes: { strategy: this.settings.strategyKind, code } });
      if (span) onSpan(span, (s) => s.end(error));
      if (stale && !options.forceRefresh && stale.expiresAt - this.deps.clock.now() > 1000) {
        this.deps.logger.warn('token refresh failed; serving the cached token until it expires', { providerId: this.providerId, code });
        this.emit({ name: 'token.stale_served', providerId: this.providerId });
        return stale.token;
      }
      throw error;
    } finally {
      this.activity.leave();
      release();
    }
  }

  /** A fetched token as the cache keeps it. */
  private async produce(scope: string[], options: GetTokenOptions, span: TelemetrySpan | undefined): Promise<CachedToken> {
    const { token, receivedAt } = await this.fetchWithRetries(scope, options, span);
    return cacheEntryFor(token, receivedAt, this.settings.refresh);
  }

  /** The span around one fetch (all its attempts); a child of the caller's active span. */
  private fetchSpan(scope: string[], options: GetTokenOptions): TelemetrySpan {
    return startSpan(this.deps.telemetry, 'finauth.token.fetch', {
      providerId: this.providerId,
      kind: 'internal',
      attributes: {
        'finauth.provider.id': this.providerId,
        'finauth.strategy': this.settings.strategyKind,
        'finauth.auth_method': this.strategy.authMethod,
        'finauth.scope': scope.join(' '),
        'finauth.force_refresh': options.forceRefresh === true,
      },
    });
  }

  private async fetchWithRetries(scope: string[], options: GetTokenOptions, span: TelemetrySpan | undefined): Promise<{ token: AccessToken; receivedAt: number }> {
    const { retry } = this.settings;
    let retries = 0;
    let recoveries = 0;
    const maxRecoveries = Math.min(MAX_RECOVERIES, Math.max(0, Math.floor(this.strategy.maxRecoveries ?? 1)));
    const fetch = {};
    for (let attempt = 0; ; attempt++) {
      const context: TokenCallContext = {
        providerId: this.providerId,
        clock: this.deps.clock,
        logger: this.deps.logger,
        telemetry: this.deps.telemetry,
        transport: this.transport,
        attempt,
        signal: this.deps.closing,
        options: options.strategyOptions ?? NO_STRATEGY_OPTIONS,
        fetch,
      };
      const probe = this.circuit.admit();
      try {
        const result = await (span ? this.tracedAttempt(scope, context, span) : this.attempt(scope, context));
        this.circuit.answered();
        return result;
      } catch (error) {
        if (this.deps.closing.aborted) throw closedError(this.providerId);
        if (!FinauthError.is(error)) throw error;
        const retryable = (error as { retryable?: unknown }).retryable === true;
        if (retryable) {
          // An open circuit ends the retries: the next attempt would be refused anyway.
          if (this.circuit.failed(error)) throw error;
        } else if (TokenEndpointError.is(error)) {
          this.circuit.answered();
        }
        if (retryable && retries < retry.maxRetries) {
          const delay = backoffDelay(retries, retry, (error as { retryAfterMs?: number }).retryAfterMs);
          if (delay !== undefined) {
            retries++;
            this.emit({ name: 'token.retry', providerId: this.providerId, attributes: { attempt: retries, delayMs: delay, code: error.code } });
            if (span) onSpan(span, (s) => s.addEvent('finauth.retry', { 'finauth.retry': retries, 'finauth.delay_ms': delay, 'error.type': error.code }));
            this.deps.logger.info('retrying token request', { providerId: this.providerId, retry: retries, delayMs: delay, code: error.code });
            await this.deps.clock.sleep(delay, this.deps.closing).catch(() => {
              throw closedError(this.providerId);
            });
            continue;
          }
        }
        if (recoveries < maxRecoveries && this.strategy.recover && (await this.strategy.recover(error, context))) {
          recoveries++;
          if (span) onSpan(span, (s) => s.addEvent('finauth.recover', { 'error.type': error.code }));
          continue;
        }
        throw error;
      } finally {
        if (probe) this.circuit.release();
      }
    }
  }

  /**
   * One attempt under its own client span: what the strategy sends (discovery) becomes child spans
   * and what it emits becomes span events.
   */
  private async tracedAttempt(scope: string[], context: TokenCallContext, parent: TelemetrySpan): Promise<{ token: AccessToken; receivedAt: number }> {
    const span = startSpan(this.deps.telemetry, 'finauth.token.attempt', {
      providerId: this.providerId,
      kind: 'client',
      parent,
      attributes: { 'finauth.provider.id': this.providerId, 'finauth.attempt': context.attempt },
    });
    const traced: TokenCallContext = {
      ...context,
      telemetry: tracedTelemetry(this.deps.telemetry, span),
      transport: tracedTransport(this.transport, this.deps.telemetry, span, this.providerId),
    };
    try {
      const result = await this.attempt(scope, traced, span);
      onSpan(span, (s) => s.end());
      return result;
    } catch (error) {
      onSpan(span, (s) => {
        const status = (error as { status?: unknown }).status;
        if (typeof status === 'number') s.setAttributes({ 'http.response.status_code': status });
        s.setAttributes({ 'error.type': errorType(error) });
        s.end(error);
      });
      throw error;
    }
  }

  private async attempt(scope: string[], context: TokenCallContext, span?: TelemetrySpan): Promise<{ token: AccessToken; receivedAt: number }> {
    const request: TokenRequest = {
      url: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(scope.length > 0 ? { grant_type: 'client_credentials', scope: scope.join(' ') } : { grant_type: 'client_credentials' }),
    };
    try {
      // A strategy that prepares synchronously costs no turn of the microtask queue.
      const prepared = this.strategy.prepareTokenRequest(request, context);
      if (prepared !== undefined) await prepared;
      if (!request.url) throw new ConfigError([{ path: 'tokenEndpoint', message: 'the strategy produced no token endpoint URL' }], { providerId: this.providerId });
      if (span) {
        onSpan(span, (s) => s.setAttributes(httpAttributes('POST', request.url)));
        onSpan(span, (s) => s.inject?.(request.headers));
      }
      const { payload } = request;
      // A strategy's own encoding (Strategy.ts, TokenRequest.payload) replaces the form and its content type.
      if (payload) request.headers['content-type'] = payload.contentType;
      const text = payload ? payload.text : request.body.toString();
      const response = await this.transport.send({ method: 'POST', url: request.url, headers: request.headers, body: text, signal: context.signal });
      const receivedAt = this.deps.clock.now();
      if (span) onSpan(span, (s) => s.setAttributes({ 'http.response.status_code': response.status }));
      this.strategy.inspectTokenResponse?.(response, request, context);
      const responseContext: TokenResponseContext = {
        providerId: this.providerId,
        requestedScope: scope,
        receivedAt,
        scrub: (text: string): string => this.redactor.scrub(text, credentialsIn(request)),
        normalize: this.normalize,
      };
      const token = this.strategy.readTokenResponse ? this.strategy.readTokenResponse(response, responseContext) : parseTokenResponse(response, responseContext);
      return { token, receivedAt };
    } catch (error) {
      throw this.redactor.scrubError(error, credentialsIn(request));
    }
  }

  private emit(event: TelemetryEvent): void {
    try {
      this.deps.telemetry.emit(event);
    } catch {
      // Telemetry must never break token acquisition.
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopped?.abort();
    try {
      await this.strategy.close?.();
    } finally {
      this.transport.close();
    }
  }
}

/** Values of one request that prove identity: scrubbed from any error it leads to. */
function credentialsIn(request: TokenRequest): string[] {
  const out: string[] = [];
  for (const [name, value] of request.body) if (!PUBLIC_PARAMS.has(name)) out.push(value);
  const auth = request.headers['authorization'] ?? request.headers['Authorization'];
  if (auth) out.push(auth.replace(/^\S+\s+/, ''));
  if (request.credentials) out.push(...request.credentials);
  return out;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}

export function closedError(providerId: string | undefined): ConfigError {
  return new ConfigError([{ path: '', message: 'this finauth instance is closed' }], { providerId });
}
