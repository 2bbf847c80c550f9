/**
 * The claims of a client assertion: `iss` = `sub` = the client id, `aud` the authorization server,
 * a single-use `jti`, and a short life.
 * @see RFC 7523 §3, FAPI 2.0 Security Profile §5.3.2.1
 */
// A type, not an interface: it is handed to Signer.sign as a plain record of claims.
export type ClientAssertionClaims = {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly jti: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
};
