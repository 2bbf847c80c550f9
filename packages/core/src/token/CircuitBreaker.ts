import { ProviderUnavailableError } from '../errors/ProviderUnavailableError.js';
import type { Clock } from '../time/Clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
}

/** Telemetry names (issue 17's OpenTelemetry mapping relies on them). */
export type CircuitEventName = 'circuit.open' | 'circuit.half_open' | 'circuit.closed';

/** Wait suggested to callers turned away while the single half-open probe runs. */
const PROBE_RETRY_AFTER_MS = 1000;

/**
 * One provider's circuit at its token endpoint. Closed: every attempt goes out and retryable
 * failures are counted; `failureThreshold` in a row opens it. Open: attempts fail at once with
 * ProviderUnavailableError until `coolDownMs` has passed. Half-open: exactly one attempt (the
 * probe) goes out; success or any answer that is not a retryable failure closes it, a retryable
 * failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  #cause: unknown;

  constructor(
    private readonly providerId: string,
    private readonly settings: CircuitSettings,
    private readonly clock: Clock,
    private readonly onChange: (name: CircuitEventName, attributes: Readonly<Record<string, string | number>>) => void,
  ) {}

  get state(): CircuitState {
    return this.#state;
  }

  /** Time left before a probe may go out; 0 unless open. */
  get retryAfterMs(): number {
    return this.#state === 'open' ? Math.max(0, this.#openedAt + this.settings.coolDownMs - this.clock.now()) : 0;
  }

  /**
   * Called before each attempt. Throws ProviderUnavailableError when no request may go out; returns
   * true when this attempt is the half-open probe.
   */
  admit(): boolean {
    if (this.#state === 'closed') return false;
    if (this.#state === 'open') {
      const wait = this.retryAfterMs;
      if (wait > 0) throw this.unavailable(wait);
      this.transition('half_open', {});
    }
    if (this.#probing) throw this.unavailable(PROBE_RETRY_AFTER_MS);
    this.#probing = true;
    return true;
  }

  /** The endpoint answered (a token, or a definite error such as 400/401): it is up. */
  answered(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.transition('closed', {});
  }

  /** A retryable failure (429, 502, 503, 504, network, timeout). True when it opened the circuit. */
  failed(error: unknown): boolean {
    this.#probing = false;
    this.#failures++;
    if (this.#state === 'half_open' || (this.#state === 'closed' && this.#failures >= this.settings.failureThreshold)) {
      this.#cause = error;
      this.#openedAt = this.clock.now();
      this.transition('open', { failures: this.#failures, coolDownMs: this.settings.coolDownMs });
      return true;
    }
    return false;
  }

  /** The probe ended without a verdict (the instance closed, a config problem): let another try. */
  release(): void {
    this.#probing = false;
  }

  private transition(state: CircuitState, attributes: Readonly<Record<string, string | number>>): void {
    this.#state = state;
    const name: CircuitEventName = state === 'open' ? 'circuit.open' : state === 'half_open' ? 'circuit.half_open' : 'circuit.closed';
    this.onChange(name, attributes);
  }

  private unavailable(retryAfterMs: number): ProviderUnavailableError {
    return new ProviderUnavailableError(
      `provider ${this.providerId} is unavailable: its token endpoint failed ${this.#failures} times in a row; the circuit is open`,
      retryAfterMs,
      { providerId: this.providerId, cause: this.#cause },
    );
  }
}
