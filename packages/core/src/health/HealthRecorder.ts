import type { CircuitState } from '../token/CircuitBreaker.js';
import type { HealthStatus, ProviderHealth } from './ProviderHealth.js';

/**
 * A pipeline's outcomes, kept as three numbers and a code so that `health()` costs nothing:
 * no cache read, no request.
 */
export class HealthRecorder {
  #lastSuccessAt: number | undefined;
  #lastError: { code: string; at: number } | undefined;
  #tokenExpiresAt: number | undefined;
  /** By order, not by time: two outcomes within one clock tick still have a latest. */
  #lastFailed = false;

  succeeded(at: number, tokenExpiresAt: number): void {
    this.#lastSuccessAt = at;
    this.#tokenExpiresAt = tokenExpiresAt;
    this.#lastFailed = false;
  }

  failed(code: string, at: number): void {
    this.#lastError = { code, at };
    this.#lastFailed = true;
  }

  /**
   * ok: circuit closed and the latest fetch worked (or none yet). degraded: the latest fetch failed
   * or the circuit is not closed, but a token this process holds is still valid. down: the circuit
   * is not closed and no valid token is held.
   */
  view(now: number, circuit: CircuitState): ProviderHealth {
    const tokenValid = this.#tokenExpiresAt !== undefined && this.#tokenExpiresAt > now;
    const lastFailed = this.#lastFailed;
    let status: HealthStatus = 'ok';
    if (circuit !== 'closed') status = tokenValid ? 'degraded' : 'down';
    else if (lastFailed) status = 'degraded';
    return {
      status,
      circuit,
      ...(this.#lastSuccessAt !== undefined ? { lastSuccessAt: new Date(this.#lastSuccessAt) } : {}),
      ...(this.#lastError !== undefined ? { lastError: { code: this.#lastError.code, at: new Date(this.#lastError.at) } } : {}),
      ...(this.#tokenExpiresAt !== undefined ? { tokenExpiresAt: new Date(this.#tokenExpiresAt) } : {}),
    };
  }
}
