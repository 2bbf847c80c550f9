import { randomBytes } from 'node:crypto';
import type { Configuration, Provider, ProviderContext } from 'oidc-provider';
import { createMemoryAdapter } from './memoryAdapter.js';
import { basicClients, fapiClients, OFP_CLIENT_IDS, OFP_SCOPES, type FapiClientKeys } from './ofpClients.js';
import { subjectDnMatches, verifiedPeerCertificate } from './peerCertificate.js';
import type { AssertionAudienceRule } from './types.js';

type ProviderClass = typeof Provider;

/** Loaded on first use: oidc-provider prints a runtime notice on import under Node 20. */
async function loadProvider(): Promise<ProviderClass> {
  const mod = await import('oidc-provider');
  return mod.default;
}

/** Settings shared by both OPs: client credentials only, no browser flows, own adapter and keys. */
function baseConfiguration(tokenLifetimeSeconds: number, signingJwk: Record<string, unknown>): Configuration {
  return {
    adapter: createMemoryAdapter(),
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...OFP_SCOPES],
    claims: { openid: ['sub'] },
    // The OP signs with an ES256 key only (fast to generate); clients must not default to RS256.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    // No browser ever calls these servers.
    clientBasedCORS: () => false,
    ttl: { ClientCredentials: tokenLifetimeSeconds },
  };
}

export interface FapiProviderParams {
  issuer: string;
  tokenLifetimeSeconds: number;
  signingJwk: Record<string, unknown>;
  clientKeys: FapiClientKeys;
  /** `mtls_endpoint_aliases` to advertise (RFC 8705 §5), if any. */
  mtlsEndpointAliases?: Record<string, string>;
  assertionAudience: AssertionAudienceRule;
  /** Whether a DPoP proof at the token endpoint must carry a server nonce now (RFC 9449 §8); read per request. */
  dpopNonceRequired?: () => boolean;
}

/**
 * The OFP-like OP: FAPI 2.0 profile, mTLS (tls_client_auth and certificate-bound access tokens),
 * private_key_jwt, client credentials and introspection.
 */
export async function createFapiProvider(params: FapiProviderParams): Promise<Provider> {
  const ProviderClass = await loadProvider();
  const configuration: Configuration = {
    ...baseConfiguration(params.tokenLifetimeSeconds, params.signingJwk),
    clients: fapiClients(params.clientKeys),
    // FAPI 2.0 Security Profile §5.3.2.1: only private_key_jwt and mTLS client authentication.
    clientAuthMethods: ['private_key_jwt', 'tls_client_auth'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only the sandbox's own resource-server client may introspect.
        allowedPolicy: async (_ctx, client) => client.clientId === OFP_CLIENT_IDS.introspector,
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        getCertificate: (ctx: ProviderContext) => verifiedPeerCertificate(ctx.socket),
        certificateAuthorized: (ctx: ProviderContext) => ctx.socket.authorized,
        certificateSubjectMatches: (ctx: ProviderContext, property: string, expected: string) => {
          const cert = verifiedPeerCertificate(ctx.socket);
          return property === 'tls_client_auth_subject_dn' && cert !== undefined && subjectDnMatches(cert, expected);
        },
      },
      fapi: { enabled: true, profile: '2.0' },
      // RFC 9449 with server nonces that a test can demand (oidc-provider answers use_dpop_nonce + DPoP-Nonce).
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => params.dpopNonceRequired?.() ?? false },
    } as Configuration['features'],
    discovery: params.mtlsEndpointAliases ? { mtls_endpoint_aliases: params.mtlsEndpointAliases } : {},
  };
  if (params.assertionAudience === 'lenient') {
    // Replaces oidc-provider's FAPI 2.0 "aud must equal the issuer" check; its generic check
    // (issuer, token endpoint URL or endpoint URL, string or array member) still applies.
    configuration.assertJwtClientAuthClaimsAndHeader = async () => undefined;
  }
  return new ProviderClass(params.issuer, configuration);
}

export interface BasicProviderParams {
  issuer: string;
  tokenLifetimeSeconds: number;
  signingJwk: Record<string, unknown>;
  clientSecret: string;
}

/**
 * A second, non-FAPI OP for the client_secret_basic and client_secret_post clients: FAPI 2.0 does not allow client
 * secrets, so the FAPI OP must not advertise nor accept them.
 */
export async function createBasicProvider(params: BasicProviderParams): Promise<Provider> {
  const ProviderClass = await loadProvider();
  return new ProviderClass(params.issuer, {
    ...baseConfiguration(params.tokenLifetimeSeconds, params.signingJwk),
    clients: basicClients(params.clientSecret),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
    },
  });
}
