/**
 * The token endpoint client authentication methods finauth implements, by their registered names.
 * @see RFC 6749 §2.3.1 (client_secret_basic, client_secret_post), OIDC Core §9 (client_secret_jwt,
 * private_key_jwt), RFC 7523 §2.2, RFC 8705 §2 (tls_client_auth, self_signed_tls_client_auth)
 */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
