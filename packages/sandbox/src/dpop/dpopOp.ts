import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Configuration } from 'oidc-provider';
import { createMemoryAdapter } from '../memoryAdapter.js';
import { receiveRequest } from '../receiveRequest.js';
import { replayRequest } from '../replayRequest.js';
import type { DpopServerParams, SandboxDpopOp } from './types.js';
import { serveDpopResource } from './dpopResource.js';
import { NonceStore } from './nonces.js';
import { DPOP_ALGS } from './verifyProof.js';

export const DPOP_CLIENT_ID = 'dpop-client';

/**
 * oidc-provider with its DPoP feature (RFC 9449): a client_secret_basic client whose tokens must be
 * DPoP-bound, server nonces that a test switches on and off at the token endpoint and at the
 * resource, and a protected resource that checks proofs independently (jose).
 */
export async function startDpopOp(params: DpopServerParams): Promise<{ op: SandboxDpopOp; handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> }> {
  const { default: Provider } = await import('oidc-provider');
  const state = { tokenNonce: false, resourceNonce: false };
  const resourceNonces = new NonceStore();
  const clientSecret = randomBytes(24).toString('base64url');
  const features = {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => state.tokenNonce, allowReplay: false },
  };
  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    jwks: { keys: [params.opSigningJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['accounts'],
    clientBasedCORS: () => false,
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    ttl: { ClientCredentials: params.tokenLifetimeSeconds },
    clientAuthMethods: ['client_secret_basic'],
    enabledJWA: { dPoPSigningAlgValues: DPOP_ALGS },
    features: features as Configuration['features'],
    clients: [
      {
        client_id: DPOP_CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'accounts',
        token_endpoint_auth_method: 'client_secret_basic',
        dpop_bound_access_tokens: true,
      },
    ],
  };
  const provider = new Provider(params.origin, configuration);
  const callback = provider.callback();
  const resourceUrl = `${params.origin}/resource`;
  const seen = new Set<string>();
  const stats = { tokenRequests: 0, resourceRequests: 0, nonceChallenges: 0 };
  const op: SandboxDpopOp = {
    issuer: params.origin,
    tokenEndpoint: `${params.origin}/token`,
    resourceUrl,
    clientId: DPOP_CLIENT_ID,
    clientSecret,
    log: params.log,
    stats,
    requireNonce(where: { tokenEndpoint?: boolean; resource?: boolean }) {
      if (where.tokenEndpoint !== undefined) state.tokenNonce = where.tokenEndpoint;
      if (where.resource !== undefined) state.resourceNonce = where.resource;
    },
  };
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await receiveRequest(req, res, { listener: 'dpop-op', log: params.log, lifecycle: params.lifecycle });
    if (!body) return;
    const path = new URL(req.url ?? '/', params.origin).pathname;
    if (path === '/resource') {
      await serveDpopResource(req, res, {
        url: resourceUrl,
        seen,
        stats,
        nonces: () => (state.resourceNonce ? resourceNonces : undefined),
        findToken: async (value) => {
          const token = await provider.ClientCredentials.find(value);
          if (!token || token.exp * 1000 <= Date.now()) return undefined;
          const jkt = (token as unknown as { jkt?: string }).jkt;
          return { clientId: token.clientId, ...(jkt ? { jkt } : {}) };
        },
      });
      return;
    }
    if (path === '/token' && req.method === 'POST') stats.tokenRequests += 1;
    callback(replayRequest(req, body, req.url ?? '/'), res);
  };
  return { op, handler };
}
