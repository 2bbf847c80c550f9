import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

/**
 * The discovery document is missing (an HTTP error), unparseable, or names another issuer.
 * A network, TLS or timeout failure during discovery is a TransportError instead.
 */
export class DiscoveryError extends FinauthError {
  readonly code = 'FINAUTH_DISCOVERY';
  readonly status: number | undefined;
  readonly url: string;

  constructor(message: string, details: { url: string; status?: number }, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.url = details.url;
    this.status = details.status;
  }

  static override is(value: unknown): value is DiscoveryError {
    return FinauthError.isNamed(value, 'DiscoveryError');
  }

  protected override details(): Record<string, unknown> {
    return { url: this.url, status: this.status };
  }
}
