/** Client ids and registrations of the sandbox OPs. */

export const OFP_CLIENT_IDS = {
  ps256: 'ofp-ps256-client',
  es256: 'ofp-es256-client',
  tlsClientAuth: 'ofp-tls-client',
  basic: 'ofp-basic-client',
  post: 'ofp-post-client',
  /** private_key_jwt (PS256) whose tokens are DPoP-bound instead of certificate-bound (RFC 9449). */
  dpop: 'ofp-dpop-client',
  /** Internal: authenticates ofp.introspect() calls; can obtain no token. */
  introspector: 'ofp-introspector',
} as const;

/** Scopes the OP knows. `admin` is known but granted to no client (→ invalid_scope). */
export const OFP_SCOPES = ['accounts', 'payments', 'admin'] as const;

/** Which scopes each client may request (oidc-provider's `scope` client metadata). */
export const OFP_CLIENT_SCOPES = {
  ps256: 'accounts payments',
  es256: 'accounts payments',
  tlsClientAuth: 'accounts',
  basic: 'accounts payments',
  post: 'accounts',
  dpop: 'accounts',
} as const;

const CLIENT_CREDENTIALS_ONLY = {
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
};

export interface FapiClientKeys {
  ps256Jwk: Record<string, unknown>;
  /** A second key of the PS256 client, as during a key rotation. */
  ps256NextJwk: Record<string, unknown>;
  es256Jwk: Record<string, unknown>;
  transportSubjectDn: string;
}

/** The FAPI 2.0 clients: private_key_jwt (PS256, ES256) and tls_client_auth, all certificate-bound. */
export function fapiClients(keys: FapiClientKeys): Record<string, unknown>[] {
  return [
    {
      client_id: OFP_CLIENT_IDS.ps256,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.ps256,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      jwks: { keys: [keys.ps256Jwk, keys.ps256NextJwk] },
      tls_client_certificate_bound_access_tokens: true,
    },
    {
      client_id: OFP_CLIENT_IDS.es256,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.es256,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [keys.es256Jwk] },
      tls_client_certificate_bound_access_tokens: true,
    },
    {
      client_id: OFP_CLIENT_IDS.tlsClientAuth,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.tlsClientAuth,
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: keys.transportSubjectDn,
      tls_client_certificate_bound_access_tokens: true,
    },
    {
      client_id: OFP_CLIENT_IDS.dpop,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.dpop,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      jwks: { keys: [keys.ps256Jwk] },
      // oidc-provider refuses a token request that would bind by both mTLS and DPoP.
      dpop_bound_access_tokens: true,
    },
    {
      client_id: OFP_CLIENT_IDS.introspector,
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: keys.transportSubjectDn,
    },
  ];
}

/**
 * The clients of the second, non-FAPI OP: client_secret_basic, and client_secret_post for strategies
 * plugged in from outside finauth's packages (RFC 6749 §2.3.1). Both share one secret.
 */
export function basicClients(clientSecret: string): Record<string, unknown>[] {
  return [
    {
      client_id: OFP_CLIENT_IDS.post,
      client_secret: clientSecret,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.post,
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: OFP_CLIENT_IDS.basic,
      client_secret: clientSecret,
      ...CLIENT_CREDENTIALS_ONLY,
      scope: OFP_CLIENT_SCOPES.basic,
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ];
}
