import { createPublicKey, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Provider, ProviderContext } from 'oidc-provider';
import { createCa, daysFromNow } from './certificate.js';
import { listenHttps, type TlsMaterial } from './httpsListener.js';
import { Lifecycle } from './lifecycle.js';
import { createMemoryAdapter } from './memoryAdapter.js';
import { subjectDnMatches } from './peerCertificate.js';
import { receiveRequest } from './receiveRequest.js';
import { replayRequest } from './replayRequest.js';
import { RequestLog } from './requestLog.js';
import { awkwardSecret } from './secrets.js';
import { generateSigningKey } from './signingKey.js';

/** The six client authentication methods, one registered client each. */
export const GENERIC_CLIENT_IDS = {
  client_secret_basic: 'generic-basic',
  client_secret_post: 'generic-post',
  client_secret_jwt: 'generic-secret-jwt',
  private_key_jwt: 'generic-private-key-jwt',
  tls_client_auth: 'generic-tls',
  self_signed_tls_client_auth: 'generic-self-signed',
} as const;

export type GenericMethod = keyof typeof GENERIC_CLIENT_IDS;

export interface GenericOpOptions {
  readonly tls: TlsMaterial;
  /** private_key_jwt: the client's public JWK (with `alg`). */
  readonly signingJwk: Record<string, unknown>;
  /** tls_client_auth: the registered subject DN (RFC 4514) of a CA-issued client certificate. */
  readonly tlsSubjectDn: string;
}

export interface GenericOp {
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly tokenEndpoint: string;
  readonly clientIds: typeof GENERIC_CLIENT_IDS;
  /** The secret of the three secret clients (holds + / : % = and a space). */
  readonly clientSecret: string;
  /** self_signed_tls_client_auth: the client's self-signed certificate and key (PEM), registered by its x5c. */
  readonly selfSigned: { readonly cert: string; readonly key: string };
  /** Token POSTs received. */
  readonly stats: { tokenRequests: number };
  readonly log: RequestLog;
  stop(): Promise<void>;
}

/**
 * A plain (not FAPI) OpenID Provider on oidc-provider, the certified reference implementation, with
 * one client per token endpoint authentication method — client_secret_basic, client_secret_post,
 * client_secret_jwt (HS256), private_key_jwt, tls_client_auth, self_signed_tls_client_auth — for
 * testing a generic OAuth client against a server that is not ours. Client certificates are
 * requested and kept even when self-signed; tls_client_auth still requires one the CA verified.
 * @see RFC 6749 §2.3.1, OIDC Core §9, RFC 8705 §2.1 and §2.2
 */
export async function startGenericOp(options: GenericOpOptions): Promise<GenericOp> {
  const lifecycle = new Lifecycle();
  const log = new RequestLog();
  const stats = { tokenRequests: 0 };
  let provider: Provider | undefined;
  try {
    const listener = await listenHttps(
      options.tls,
      'any',
      async (req, res) => {
        const body = await receiveRequest(req, res, { listener: 'generic', log, lifecycle });
        if (!body || !provider) return;
        if (req.method === 'POST' && new URL(req.url ?? '/', 'https://127.0.0.1').pathname === '/token') stats.tokenRequests += 1;
        provider.callback()(replayRequest(req, body, req.url ?? '/'), res);
      },
      lifecycle,
    );
    const [opKey, selfSigned] = await Promise.all([generateSigningKey('ES256'), createCa('CN=finauth-self-signed-client, O=finauth sandbox', daysFromNow(-1, 30))]);
    const selfSignedCert = new X509Certificate(selfSigned.certPem);
    const selfSignedJwk = { ...(createPublicKey(selfSigned.keyPem).export({ format: 'jwk' }) as Record<string, unknown>), x5c: [selfSignedCert.raw.toString('base64')] };
    const clientSecret = awkwardSecret();
    const base = { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
    const peer = (ctx: ProviderContext): X509Certificate | undefined => {
      const raw = (ctx.socket as TLSSocket).getPeerCertificate?.()?.raw;
      return raw ? new X509Certificate(raw) : undefined;
    };
    const { default: ProviderClass } = await import('oidc-provider');
    provider = new ProviderClass(listener.origin, {
      adapter: createMemoryAdapter(),
      jwks: { keys: [opKey.privateJwk] },
      clientDefaults: { id_token_signed_response_alg: 'ES256' },
      clientBasedCORS: () => false,
      ttl: { ClientCredentials: 300 },
      clientAuthMethods: Object.keys(GENERIC_CLIENT_IDS),
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        mTLS: {
          enabled: true,
          tlsClientAuth: true,
          selfSignedTlsClientAuth: true,
          getCertificate: peer,
          certificateAuthorized: (ctx: ProviderContext) => (ctx.socket as TLSSocket).authorized,
          certificateSubjectMatches: (ctx: ProviderContext, property: string, expected: string) => {
            const cert = (ctx.socket as TLSSocket).authorized ? peer(ctx) : undefined;
            return property === 'tls_client_auth_subject_dn' && cert !== undefined && subjectDnMatches(cert, expected);
          },
        },
      },
      clients: [
        { ...base, client_id: GENERIC_CLIENT_IDS.client_secret_basic, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_basic' },
        { ...base, client_id: GENERIC_CLIENT_IDS.client_secret_post, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_post' },
        { ...base, client_id: GENERIC_CLIENT_IDS.client_secret_jwt, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'HS256' },
        { ...base, client_id: GENERIC_CLIENT_IDS.private_key_jwt, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: String(options.signingJwk['alg'] ?? 'PS256'), jwks: { keys: [options.signingJwk] } },
        { ...base, client_id: GENERIC_CLIENT_IDS.tls_client_auth, token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: options.tlsSubjectDn },
        { ...base, client_id: GENERIC_CLIENT_IDS.self_signed_tls_client_auth, token_endpoint_auth_method: 'self_signed_tls_client_auth', jwks: { keys: [selfSignedJwk] } },
      ],
    });
    return {
      issuer: listener.origin,
      discoveryUrl: `${listener.origin}/.well-known/openid-configuration`,
      tokenEndpoint: `${listener.origin}/token`,
      clientIds: GENERIC_CLIENT_IDS,
      clientSecret,
      selfSigned: { cert: selfSigned.certPem, key: selfSigned.keyPem },
      stats,
      log,
      stop: () => lifecycle.stop(),
    };
  } catch (err) {
    await lifecycle.stop();
    throw err;
  }
}
