/** A token as finauth hands it out. Part of the public contract. */
export interface AccessToken {
  readonly providerId: string;
  readonly accessToken: string;
  /** `Bearer` for any casing of "bearer" and for "BearerToken"; other types as the server sent them. */
  readonly tokenType: 'Bearer' | (string & {});
  /** From `expires_in` (number or numeric string) and the local receive time; absent when the server sent none. */
  readonly expiresAt?: Date;
  /** Granted scope: the response's `scope`, else the scope requested (RFC 6749 §5.1). */
  readonly scope: readonly string[];
  /** The whole response body as received, non-standard fields included. */
  readonly raw: Readonly<Record<string, unknown>>;
}
