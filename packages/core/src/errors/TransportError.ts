import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

/**
 * Why a request never produced an HTTP response finauth could use. `protocol`: an HTTP-level
 * failure, or a URL finauth refuses to send a credential to (not https, user info); `origin`: a
 * resource call to an origin outside the provider's `resourceOrigins` (nothing was sent); `proxy`:
 * the egress proxy was unreachable or refused the tunnel (nothing reached the bank).
 */
export type TransportFailure = 'network' | 'timeout' | 'tls' | 'too_large' | 'protocol' | 'origin' | 'proxy';

/** Network, TLS or timeout failure, in any phase (discovery, token, resource). */
export class TransportError extends FinauthError {
  readonly code = 'FINAUTH_TRANSPORT';
  readonly reason: TransportFailure;
  /** The low-level error code (`ECONNRESET`, `CERT_HAS_EXPIRED`, ...), when there was one. */
  readonly errno: string | undefined;
  readonly retryable: boolean;

  /**
   * `retryable` defaults to true for network and timeout failures only; a proxy failure says itself
   * (unreachable or a 5xx to CONNECT may pass, a 407 or a refusal will not).
   */
  constructor(message: string, details: { reason: TransportFailure; errno?: string | undefined; retryable?: boolean }, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.reason = details.reason;
    this.errno = details.errno;
    this.retryable = details.retryable ?? (details.reason === 'network' || details.reason === 'timeout');
  }

  static override is(value: unknown): value is TransportError {
    return FinauthError.isNamed(value, 'TransportError');
  }

  protected override details(): Record<string, unknown> {
    return { reason: this.reason, errno: this.errno, retryable: this.retryable };
  }
}
