import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../jsonResponse.js';
import type { Lifecycle } from '../lifecycle.js';
import { receiveRequest } from '../receiveRequest.js';
import type { RequestLog } from '../requestLog.js';
import { serveDpopResource } from './dpopResource.js';
import { NonceStore } from './nonces.js';
import type { SandboxOktaLike } from './types.js';
import { DpopProofError, verifyDpopProof } from './verifyProof.js';

const TOKEN_PATH = '/oauth2/v1/token';
const RESOURCE_PATH = '/api/v1/accounts';

/**
 * Okta's token endpoint with DPoP on (its default for service apps): every token request must carry
 * a DPoP proof with a server nonce; a proof without one is answered 400 `use_dpop_nonce` with the
 * nonce in `DPoP-Nonce` (RFC 9449 §8). Client authentication is client_secret_basic (raw).
 */
export function startOktaLike(params: { origin: string; tokenLifetimeSeconds: number; log: RequestLog; lifecycle: Lifecycle }): {
  okta: SandboxOktaLike;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
} {
  const clientId = '0oa-finauth-dpop';
  const clientSecret = randomBytes(24).toString('base64url');
  const nonces = new NonceStore();
  const seen = new Set<string>();
  const tokens = new Map<string, { jkt: string; exp: number }>();
  const stats = { tokenRequests: 0, resourceRequests: 0, nonceChallenges: 0 };
  const tokenEndpoint = `${params.origin}${TOKEN_PATH}`;
  const resourceUrl = `${params.origin}${RESOURCE_PATH}`;

  const authenticated = (authorization: string | undefined): boolean => {
    const match = /^Basic (\S+)$/i.exec(authorization ?? '');
    if (!match) return false;
    const given = Buffer.from(match[1]!, 'base64');
    const expected = Buffer.from(`${clientId}:${clientSecret}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const token = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    stats.tokenRequests += 1;
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    if (!authenticated(req.headers.authorization)) {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
      return;
    }
    try {
      const { jkt } = await verifyDpopProof(req.headers['dpop'], { method: 'POST', url: tokenEndpoint, nonces, seen });
      const value = randomBytes(32).toString('base64url');
      tokens.set(value, { jkt, exp: Date.now() + params.tokenLifetimeSeconds * 1000 });
      sendJson(
        res,
        200,
        { token_type: 'DPoP', expires_in: params.tokenLifetimeSeconds, access_token: value, scope: form.get('scope') ?? 'accounts', cnf: { jkt } },
        { 'dpop-nonce': nonces.current() },
      );
    } catch (error) {
      if (!(error instanceof DpopProofError)) throw error;
      if (error.error === 'use_dpop_nonce') {
        stats.nonceChallenges += 1;
        sendJson(res, 400, { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' }, { 'dpop-nonce': nonces.issue() });
        return;
      }
      sendJson(res, 400, { error: 'invalid_dpop_proof', error_description: error.message });
    }
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await receiveRequest(req, res, { listener: 'okta', log: params.log, lifecycle: params.lifecycle });
    if (!body) return;
    const path = new URL(req.url ?? '/', params.origin).pathname;
    if (path === TOKEN_PATH && req.method === 'POST') return token(req, res, body);
    if (path === RESOURCE_PATH) {
      return serveDpopResource(req, res, {
        url: resourceUrl,
        seen,
        stats,
        findToken: async (value) => {
          const found = tokens.get(value);
          return found && found.exp > Date.now() ? { jkt: found.jkt, clientId } : undefined;
        },
      });
    }
    sendJson(res, 404, { error: 'not_found' });
  };
  return { okta: { issuer: params.origin, tokenEndpoint, resourceUrl, clientId, clientSecret, log: params.log, stats }, handler };
}
