import { FinauthError, type FinauthErrorOptions } from '@finauth/core';

/**
 * Why a signature could not be made after creation succeeded:
 * - `token_unavailable`: the token went away (removed, HSM unreachable, sessions closed) and could
 *   not be reopened;
 * - `sign_failed`: the module refused this signature (a PKCS#11 error other than the above);
 * - `closed`: the signer was closed.
 */
export type SignerErrorReason = 'token_unavailable' | 'sign_failed' | 'closed';

/**
 * A signing key in an HSM failed at signing time. Carries the PKCS#11 return value's name
 * (`CKR_DEVICE_REMOVED`), never a PIN: PKCS#11 messages hold no secret, and this class builds its
 * message from the reason, the token label and that name only.
 */
export class SignerError extends FinauthError {
  readonly code = 'FINAUTH_SIGNER';
  readonly reason: SignerErrorReason;
  /** The PKCS#11 return value (`CKR_...`), when the module gave one. */
  readonly pkcs11Code: string | undefined;

  constructor(message: string, details: { reason: SignerErrorReason; pkcs11Code?: string | undefined }, options: FinauthErrorOptions = {}) {
    super(message, options);
    this.reason = details.reason;
    this.pkcs11Code = details.pkcs11Code;
  }

  static override is(value: unknown): value is SignerError {
    return FinauthError.isNamed(value, 'SignerError');
  }

  protected override details(): Record<string, unknown> {
    return { reason: this.reason, pkcs11Code: this.pkcs11Code };
  }
}
