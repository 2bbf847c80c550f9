import { FinauthError, type FinauthErrorOptions } from './FinauthError.js';

/** The server answered 2xx with something that is not a token response. */
export class ResponseFormatError extends FinauthError {
  readonly code = 'FINAUTH_RESPONSE_FORMAT';
  readonly status: number;
  readonly interactionId: string | undefined;

  constructor(message: string, details: { status: number; interactionId?: string | undefined }, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.status = details.status;
    this.interactionId = details.interactionId;
  }

  static override is(value: unknown): value is ResponseFormatError {
    return FinauthError.isNamed(value, 'ResponseFormatError');
  }

  protected override details(): Record<string, unknown> {
    return { status: this.status, interactionId: this.interactionId };
  }
}
