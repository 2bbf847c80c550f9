import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

export interface TokenEndpointErrorDetails {
  readonly status: number;
  /** RFC 6749 §5.2 `error`, or a gateway's own error code. */
  readonly error?: string | undefined;
  readonly errorDescription?: string | undefined;
  /** The OFP token endpoint OpenAPI description's 404 body: `{ "errors": [...] }`. */
  readonly errors?: readonly string[] | undefined;
  /** The `x-fapi-interaction-id` of the failed exchange, for the bank's support desk. */
  readonly interactionId?: string | undefined;
  readonly retryable: boolean;
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs?: number | undefined;
}

/** The token endpoint answered with an error status. @see RFC 6749 §5.2 */
export class TokenEndpointError extends FinauthError {
  readonly code = 'FINAUTH_TOKEN_ENDPOINT';
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errors: readonly string[] | undefined;
  readonly interactionId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: TokenEndpointErrorDetails, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errors = details.errors;
    this.interactionId = details.interactionId;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }

  static override is(value: unknown): value is TokenEndpointError {
    return FinauthError.isNamed(value, 'TokenEndpointError');
  }

  protected override details(): Record<string, unknown> {
    return {
      status: this.status,
      error: this.error,
      errorDescription: this.errorDescription,
      errors: this.errors,
      interactionId: this.interactionId,
      retryable: this.retryable,
    };
  }
}
