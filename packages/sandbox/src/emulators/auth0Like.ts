import type { KeyObject } from 'node:crypto';
import type { TlsMaterial } from '../httpsListener.js';
import { sendJson } from '../jsonResponse.js';
import { checkAssertion } from './checkAssertion.js';
import { startEmulatedServer, type EmulatedServer } from './EmulatedServer.js';

export interface Auth0LikeOptions {
  readonly tls: TlsMaterial;
  readonly clientId: string;
  readonly publicKey: KeyObject;
  /** The registered key's algorithm. */
  readonly alg: string;
  /** The API identifier a client must ask for (the `audience` form parameter). */
  readonly apiAudience: string;
}

/**
 * An Auth0-like tenant, checking what Auth0's private_key_jwt page says: the issuer (and the
 * assertion's only accepted `aud`) is the tenant URL with a trailing slash; `exp - iat` at most
 * 300 s; the registered key and alg; `audience` (the API identifier) required on a client
 * credentials request (403 access_denied without it, as Auth0 answers when no default audience
 * is set). A refused client authentication is 401 `invalid_client`.
 */
export async function startAuth0Like(options: Auth0LikeOptions): Promise<EmulatedServer> {
  const seen = new Set<string>();
  let issuer = '';
  const server = await startEmulatedServer({
    tls: options.tls,
    issuerPath: '/',
    tokenPath: '/oauth/token',
    metadata: (urls) => ({ issuer: urls.issuer, token_endpoint: urls.tokenEndpoint, token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] }),
    authenticate: async (_req, form) => {
      const reason = await checkAssertion(
        form,
        { clientId: options.clientId, publicKey: options.publicKey, algs: [options.alg], audience: (aud) => aud === issuer, maxLifetimeSeconds: 300 },
        seen,
        Math.floor(Date.now() / 1000),
      );
      return reason ? { ok: false, reason } : { ok: true };
    },
    refuse: (res, reason) => sendJson(res, 401, { error: 'invalid_client', error_description: `Invalid client assertion (${reason})` }),
    afterAuthentication: (form, res) => {
      const audience = form.get('audience');
      if (audience === options.apiAudience) return false;
      sendJson(res, 403, { error: 'access_denied', error_description: audience === null ? 'No audience parameter was provided, and no default audience has been configured' : `Service not found: ${audience.slice(0, 100)}` });
      return true;
    },
    tokenResponse: () => ({ token_type: 'Bearer', expires_in: 86400 }),
  });
  issuer = server.issuer;
  return server;
}
