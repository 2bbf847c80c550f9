import { TokenEndpointError, TransportError, type FinauthError } from '../errors/index.js';
import type { Transport } from '../http/Transport.js';
import type { Clock } from '../time/Clock.js';
import type { DiscoveryResult } from './discover.js';

/**
 * Keeps one provider's discovery answer for its max-age, shares one fetch between concurrent
 * token requests, and forgets the answer when a token call suggests it is stale (a network error
 * or a 404 at the token endpoint: the endpoint may have moved).
 */
export class DiscoveryCache {
  private entry: { result: DiscoveryResult; expiresAt: number } | undefined;
  private inflight: Promise<DiscoveryResult> | undefined;
  private generation = 0;
  /** Fetches that forgot the answer once; made on first use (a thousand providers that never need it). */
  #forgotten: WeakSet<object> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fetch: (signal?: AbortSignal, transport?: Transport) => Promise<DiscoveryResult>,
  ) {}

  /** The cached answer while fresh, else undefined: no promise, for the token request's hot path. */
  fresh(): DiscoveryResult | undefined {
    return this.entry && this.clock.now() < this.entry.expiresAt ? this.entry.result : undefined;
  }

  /**
   * The cached answer while fresh, else a new fetch (shared with concurrent callers), sent through
   * the calling attempt's transport when given (so a traced attempt traces its discovery).
   */
  get(signal?: AbortSignal, transport?: Transport): Promise<DiscoveryResult> {
    const held = this.fresh();
    if (held) return Promise.resolve(held);
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    const run = this.fetch(signal, transport).then(
      (result) => {
        // An invalidate() while fetching means this answer may already be the stale one.
        if (generation === this.generation) this.entry = { result, expiresAt: this.clock.now() + result.maxAgeMs };
        return result;
      },
    );
    this.inflight = run;
    const clear = (): void => {
      if (this.inflight === run) this.inflight = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** True when an answer is held (fresh or not). */
  get hasEntry(): boolean {
    return this.entry !== undefined;
  }

  /**
   * After a failed token call: forgets the answer when the token endpoint may have moved (404, a
   * network error or a timeout), at most once per fetch (`TokenCallContext.fetch`). True when it
   * did: the strategy's `recover` answers true and the next attempt discovers again.
   */
  forgetAfter(error: FinauthError, fetch: object): boolean {
    const endpointGone = (TokenEndpointError.is(error) && error.status === 404) || (TransportError.is(error) && (error.reason === 'network' || error.reason === 'timeout'));
    if (!endpointGone || !this.hasEntry || this.#forgotten?.has(fetch)) return false;
    (this.#forgotten ??= new WeakSet()).add(fetch);
    this.invalidate();
    return true;
  }

  /** Forgets the answer: the next token request discovers again. */
  invalidate(): void {
    this.entry = undefined;
    this.generation++;
  }
}
