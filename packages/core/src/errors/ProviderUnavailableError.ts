import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

/**
 * The provider's circuit is open: its token endpoint failed too often in a row, so no request is
 * sent to it until the cool-down ends. Thrown at once, without touching the network.
 */
export class ProviderUnavailableError extends FinauthError {
  readonly code = 'FINAUTH_PROVIDER_UNAVAILABLE';
  /** When the circuit lets a probe through (ms from now): retry no sooner. */
  readonly retryAfterMs: number;

  /** `cause` is the failure that opened the circuit. */
  constructor(message: string, retryAfterMs: number, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }

  static override is(value: unknown): value is ProviderUnavailableError {
    return FinauthError.isNamed(value, 'ProviderUnavailableError');
  }

  protected override details(): Record<string, unknown> {
    const cause = (this as { cause?: unknown }).cause;
    return { retryAfterMs: this.retryAfterMs, causeCode: FinauthError.is(cause) ? cause.code : undefined };
  }
}
