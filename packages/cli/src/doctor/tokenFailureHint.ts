import { FinauthError, TokenEndpointError } from '@finauth/core';
import { rawField } from './providerFields.js';
import type { ProviderUnderCheck } from './Check.js';

/**
 * The hint for a failed live token, fitted to how this provider authenticates: a Basic gateway's
 * 401 is about the secret and its encoding, never about a key id or an assertion audience.
 */
export function tokenFailureHint(provider: ProviderUnderCheck, error: unknown): string {
  if (!FinauthError.is(error)) return 'run with --verbose for the stack';
  if (error.code === 'FINAUTH_TRANSPORT') return 'the request did not complete: see the TLS handshake check, and the timeoutMs setting';
  if (error.code === 'FINAUTH_DISCOVERY') return 'see the discovery check';
  if (error.code === 'FINAUTH_RESPONSE_FORMAT') return 'the server answered 2xx with something that is not a token: is tokenEndpoint the token endpoint?';
  if (!TokenEndpointError.is(error)) return 'run with --verbose for the stack';
  const { status, error: oauthError } = error;
  if (status === 429 || status >= 500) return 'the server is throttling or failing, not refusing you: try again later (finauth retries these with backoff)';
  if (oauthError === 'invalid_scope') return 'the scope is not allowed for this client: check scope against what the bank granted';
  if (oauthError === 'unauthorized_client') return 'the client may not use the client credentials grant (or this scope): ask the bank to enable it';
  const clientRefused = status === 401 || oauthError === 'invalid_client';
  if (!clientRefused) return 'the bank refused the request: read error and errorDescription above';
  const strategy = provider.raw['strategy'];
  const method = rawField(provider, 'clientAuth.method');
  if (strategy === 'client_secret_basic') {
    return 'the gateway refused the client credentials: check clientId and clientSecret, and credentialEncoding ("form-urlencoded" per RFC 6749, or "raw" for gateways that do not URL-decode, such as BNP-style ones)';
  }
  if (strategy === 'fapi2' && method === 'private_key_jwt') {
    return 'the bank refused the client assertion: check clientId, that signingKey is the key registered with the bank under clientAuth.kid, clientAuth.alg, and clientAuth.audience ("issuer" for FAPI 2.0, else "token_endpoint")';
  }
  if (strategy === 'fapi2' && method === 'tls_client_auth') {
    return 'the bank did not match the client certificate to the client: check clientId, and that tls.cert is the certificate (subject) registered for it';
  }
  return `the server refused the client credentials: check clientId and the credentials the ${String(strategy ?? 'provider')} strategy sends`;
}
