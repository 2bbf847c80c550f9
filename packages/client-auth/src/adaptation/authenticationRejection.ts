import { TokenEndpointError, type FinauthError } from '@finauth/core';

/**
 * Error codes of the OAuth error registry a token endpoint answers with. A 401/403 whose body
 * carries one of these (other than invalid_client) is the server saying something precise, not a
 * refusal of how the client authenticated.
 * @see RFC 6749 §5.2, RFC 8707 §2 (invalid_target), RFC 9449 §12.2 (invalid_dpop_proof, use_dpop_nonce)
 */
const OAUTH_ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'server_error',
  'temporarily_unavailable',
]);

/**
 * Whether the token endpoint refused the client's authentication: a 400/401 `invalid_client`
 * (RFC 6749 §5.2), or a 401/403 without an OAuth error body (a bare 403 from a server or gateway
 * that says nothing, a gateway's own error format). Only these make an adaptive setting try its
 * next variant.
 */
export function isAuthenticationRejection(error: FinauthError): boolean {
  if (!TokenEndpointError.is(error)) return false;
  if ((error.status === 400 || error.status === 401) && error.error === 'invalid_client') return true;
  return (error.status === 401 || error.status === 403) && (error.error === undefined || !OAUTH_ERROR_CODES.has(error.error));
}
