import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Provider } from 'oidc-provider';
import { FaultController } from './faults.js';
import { listenHttps, type ClientCertPolicy, type HttpsListener, type TlsMaterial } from './httpsListener.js';
import { echoInteractionId, hasInteractionId } from './interactionId.js';
import { introspect } from './introspection.js';
import { sendJson } from './jsonResponse.js';
import type { Lifecycle } from './lifecycle.js';
import { OFP_CLIENT_IDS, OFP_SCOPES } from './ofpClients.js';
import { createBasicProvider, createFapiProvider } from './ofpProviders.js';
import { verifiedPeerCertificate } from './peerCertificate.js';
import { serveDpopResource } from './dpop/dpopResource.js';
import { NonceStore } from './dpop/nonces.js';
import { serveProviders } from './providersResource.js';
import { receiveRequest } from './receiveRequest.js';
import { replayRequest } from './replayRequest.js';
import { RequestLog } from './requestLog.js';
import { awkwardSecret } from './secrets.js';
import { generateSigningKey } from './signingKey.js';
import type { AssertionAudienceRule, MtlsAliasMode, OfpStats, SandboxOfp } from './types.js';

/** oidc-provider's default token endpoint path. */
const TOKEN_PATH = '/token';
/** Where the `same-host` mTLS alias of the token endpoint lives on the main listener. */
const SAME_HOST_ALIAS_PATH = '/mtls/token';
const RESOURCE_PATH = '/providers';
/** The same data for DPoP-bound tokens (RFC 9449 §7): a proof with `ath` on every request. */
const DPOP_RESOURCE_PATH = '/dpop/providers';
const KNOWN_SCOPES = new Set<string>(OFP_SCOPES);

export interface OfpParams {
  tls: TlsMaterial;
  /** The transport client certificate and key (PEM), used by introspect(). */
  transport: { cert: string; key: string };
  ps256Jwk: Record<string, unknown>;
  ps256NextJwk: Record<string, unknown>;
  es256Jwk: Record<string, unknown>;
  transportSubjectDn: string;
  tokenLifetimeSeconds: number;
  mtlsAlias: MtlsAliasMode;
  strict: boolean;
  assertionAudience: AssertionAudienceRule;
  lifecycle: Lifecycle;
}

type Listener = 'main' | 'alias' | 'basic';
type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Starts the FAPI OP (main and alias listeners) and the client_secret_basic OP. */
export async function startOfp(params: OfpParams): Promise<SandboxOfp> {
  const { lifecycle } = params;
  const faults = new FaultController();
  const log = new RequestLog();
  const stats: OfpStats = { tokenRequests: { main: 0, alias: 0, basic: 0 } };

  // Listeners first (port 0), so the issuer and alias URLs are known when the OPs are built;
  // requests that arrive before then cannot happen, the URLs are not published yet.
  const handlers = new Map<Listener, Handler>();
  const dispatch = (name: Listener): Handler => (req, res) => {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`${name} listener is not ready`);
    return handler(req, res);
  };
  const fapiCerts: ClientCertPolicy = params.strict ? 'required' : 'requested';
  const [main, alias, basic, opKey, basicOpKey] = await Promise.all([
    listenHttps(params.tls, fapiCerts, dispatch('main'), lifecycle),
    params.mtlsAlias === 'other-port'
      ? listenHttps(params.tls, 'required', dispatch('alias'), lifecycle)
      : Promise.resolve(undefined),
    listenHttps(params.tls, 'none', dispatch('basic'), lifecycle),
    generateSigningKey('ES256'),
    generateSigningKey('ES256'),
  ]);

  const issuer = main.origin;
  const tokenEndpoint = `${issuer}${TOKEN_PATH}`;
  const mtlsTokenEndpoint = aliasUrl(params.mtlsAlias, issuer, alias);
  const basicSecret = awkwardSecret();

  const dpopSeen = new Set<string>();
  const dpopStats = { resourceRequests: 0, nonceChallenges: 0 };
  const dpopNonces = new NonceStore();
  const dpopNonceRequired = { resource: false, token: false };
  const [fapiProvider, basicProvider] = await Promise.all([
    createFapiProvider({
      issuer,
      tokenLifetimeSeconds: params.tokenLifetimeSeconds,
      signingJwk: opKey.privateJwk,
      clientKeys: {
        ps256Jwk: params.ps256Jwk,
        ps256NextJwk: params.ps256NextJwk,
        es256Jwk: params.es256Jwk,
        transportSubjectDn: params.transportSubjectDn,
      },
      ...(mtlsTokenEndpoint ? { mtlsEndpointAliases: { token_endpoint: mtlsTokenEndpoint } } : {}),
      assertionAudience: params.assertionAudience,
      dpopNonceRequired: () => dpopNonceRequired.token,
    }),
    createBasicProvider({
      issuer: basic.origin,
      tokenLifetimeSeconds: params.tokenLifetimeSeconds,
      signingJwk: basicOpKey.privateJwk,
      clientSecret: basicSecret,
    }),
  ]);

  const serve = (listener: Listener, provider: Provider): Handler => {
    const callback = provider.callback();
    return async (req, res) => {
      echoInteractionId(req, res);
      const path = new URL(req.url ?? '/', issuer).pathname;
      const tokenRoute = tokenRouteOf(listener, path, params.mtlsAlias);
      const isToken = tokenRoute !== undefined && req.method === 'POST';
      if (isToken) stats.tokenRequests[tokenRoute] += 1;

      const body = await receiveRequest(req, res, {
        listener,
        log,
        lifecycle,
        ...(isToken ? { faults } : {}),
      });
      if (!body) return;

      if (isToken) {
        if (params.strict && listener !== 'basic' && !hasInteractionId(req)) {
          sendJson(res, 400, { error: 'invalid_request', error_description: 'x-fapi-interaction-id header is required' });
          return;
        }
        if (tokenRoute === 'alias' && !verifiedPeerCertificate(req.socket as TLSSocket)) {
          // RFC 8705 §5: the alias exists for mutual-TLS clients.
          sendJson(res, 401, { error: 'invalid_client', error_description: 'the mTLS endpoint alias requires a client certificate' });
          return;
        }
        const unknown = unknownScopes(req, body);
        if (unknown.length > 0) {
          sendJson(res, 400, { error: 'invalid_scope', error_description: `unknown scope: ${unknown.join(' ')}`, scope: unknown.join(' ') });
          return;
        }
      }
      if (listener === 'main' && path === DPOP_RESOURCE_PATH) {
        await serveDpopResource(req, res, {
          url: `${issuer}${DPOP_RESOURCE_PATH}`,
          seen: dpopSeen,
          stats: dpopStats,
          nonces: () => (dpopNonceRequired.resource ? dpopNonces : undefined),
          findToken: async (value) => {
            const token = await fapiProvider.ClientCredentials.find(value);
            if (!token || token.exp * 1000 <= Date.now()) return undefined;
            const jkt = (token as unknown as { jkt?: string }).jkt;
            return { clientId: token.clientId, ...(jkt ? { jkt } : {}) };
          },
        });
        return;
      }
      if (listener === 'main' && path === RESOURCE_PATH) {
        await serveProviders(req, res, provider);
        return;
      }
      const url = tokenRoute === 'alias' && path === SAME_HOST_ALIAS_PATH ? TOKEN_PATH : (req.url ?? '/');
      callback(replayRequest(req, body, url), res);
    };
  };
  handlers.set('main', serve('main', fapiProvider));
  handlers.set('alias', serve('alias', fapiProvider));
  handlers.set('basic', serve('basic', basicProvider));

  const introspectionEndpoint = `${issuer}/token/introspection`;
  const introspectionTls = { ca: params.tls.ca, cert: params.transport.cert, key: params.transport.key };
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    tokenEndpoint,
    ...(mtlsTokenEndpoint ? { mtlsTokenEndpoint } : {}),
    introspectionEndpoint,
    resourceUrl: `${issuer}${RESOURCE_PATH}`,
    dpop: {
      resourceUrl: `${issuer}${DPOP_RESOURCE_PATH}`,
      stats: dpopStats,
      requireNonce: (where: { tokenEndpoint?: boolean; resource?: boolean }) => {
        if (where.tokenEndpoint !== undefined) dpopNonceRequired.token = where.tokenEndpoint;
        if (where.resource !== undefined) dpopNonceRequired.resource = where.resource;
      },
    },
    clients: {
      ps256: { clientId: OFP_CLIENT_IDS.ps256 },
      es256: { clientId: OFP_CLIENT_IDS.es256 },
      tlsClientAuth: { clientId: OFP_CLIENT_IDS.tlsClientAuth },
      dpop: { clientId: OFP_CLIENT_IDS.dpop },
      basic: {
        clientId: OFP_CLIENT_IDS.basic,
        clientSecret: basicSecret,
        tokenEndpoint: `${basic.origin}${TOKEN_PATH}`,
        issuer: basic.origin,
        discoveryUrl: `${basic.origin}/.well-known/openid-configuration`,
      },
      post: {
        clientId: OFP_CLIENT_IDS.post,
        clientSecret: basicSecret,
        tokenEndpoint: `${basic.origin}${TOKEN_PATH}`,
      },
    },
    introspect: (accessToken: string) => introspect(introspectionEndpoint, introspectionTls, accessToken),
    stats,
    faults,
    log,
  };
}

function aliasUrl(mode: MtlsAliasMode, issuer: string, alias: HttpsListener | undefined): string | undefined {
  switch (mode) {
    case 'other-port':
      return alias ? `${alias.origin}${TOKEN_PATH}` : undefined;
    case 'same-host':
      return `${issuer}${SAME_HOST_ALIAS_PATH}`;
    case 'none':
      return undefined;
  }
}

/** Which token endpoint a path on a listener is, if any (for stats and faults). */
function tokenRouteOf(listener: Listener, path: string, mode: MtlsAliasMode): 'main' | 'alias' | 'basic' | undefined {
  if (listener === 'basic') return path === TOKEN_PATH ? 'basic' : undefined;
  if (listener === 'alias') return path === TOKEN_PATH ? 'alias' : undefined;
  if (path === TOKEN_PATH) return 'main';
  if (mode === 'same-host' && path === SAME_HOST_ALIAS_PATH) return 'alias';
  return undefined;
}

/**
 * oidc-provider grants scopes it does not know (it only filters known ones against the client's
 * allow-list); a real AS refuses them, and so does the sandbox.
 */
function unknownScopes(req: IncomingMessage, body: Buffer): string[] {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return [];
  const scope = new URLSearchParams(body.toString('utf8')).get('scope');
  if (!scope) return [];
  return scope.split(' ').filter((s) => s.length > 0 && !KNOWN_SCOPES.has(s));
}
