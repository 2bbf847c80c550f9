import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultController } from './faults.js';
import { gatewayTokenResponse, invalidClientBody } from './gatewayResponses.js';
import { listenHttps, type TlsMaterial } from './httpsListener.js';
import { sendJson } from './jsonResponse.js';
import type { Lifecycle } from './lifecycle.js';
import { receiveRequest } from './receiveRequest.js';
import { RequestLog } from './requestLog.js';
import { awkwardSecret, gatewayToken } from './secrets.js';
import type { GatewayErrorStyle, SandboxGateway } from './types.js';

const TOKEN_PATH = '/oauth2/v1/token';
const HELLO_PATH = '/hello';
const CLIENT_ID = 'finauth-sandbox-consumer-key';
/** The BNP Paribas CIB gateway page's sample scope, in its order; requesting anything else is invalid_scope. */
const SCOPES = ['pisp', 'piisp', 'aisp', 'extended_transaction_history'];

export interface GatewayParams {
  tls: TlsMaterial;
  tokenLifetimeSeconds: number;
  errorStyle: GatewayErrorStyle;
  lifecycle: Lifecycle;
}

interface IssuedToken {
  expiresAt: number;
  scope: string;
}

/** A BNP-Paribas-style (Apigee) gateway: the BNP Paribas CIB gateway page's token endpoint and a protected /hello. */
export async function startGateway(params: GatewayParams): Promise<SandboxGateway> {
  const faults = new FaultController();
  const log = new RequestLog();
  const stats = { tokenRequests: 0 };
  const tokens = new Map<string, IssuedToken>();
  const clientSecret = awkwardSecret();
  let errorStyle = params.errorStyle;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const isToken = path === TOKEN_PATH;
    if (isToken) stats.tokenRequests += 1;
    const body = await receiveRequest(req, res, {
      listener: 'gateway',
      log,
      lifecycle: params.lifecycle,
      ...(isToken ? { faults } : {}),
    });
    if (!body) return;
    if (isToken) {
      issueToken(req, res, body);
    } else if (path === HELLO_PATH) {
      hello(req, res);
    } else {
      sendJson(res, 404, { fault: { faultstring: 'Unable to identify proxy for host and url', detail: { errorcode: 'messaging.adaptors.http.flow.ApplicationNotFound' } } });
    }
  };

  const issueToken = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'POST required' }, { allow: 'POST' });
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
      return;
    }
    const credentials = rawBasicCredentials(req.headers.authorization);
    if (!credentials || !safeEqual(credentials.id, CLIENT_ID) || !safeEqual(credentials.secret, clientSecret)) {
      sendJson(res, 401, invalidClientBody(errorStyle), { 'www-authenticate': 'Basic realm="gateway"' });
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (grantType === null) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'grant_type is required' });
      return;
    }
    if (grantType !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s.length > 0);
    if (requested.some((s) => !SCOPES.includes(s))) {
      sendJson(res, 400, { error: 'invalid_scope' });
      return;
    }
    const scope = (requested.length > 0 ? requested : SCOPES).join(' ');
    const accessToken = gatewayToken();
    const issuedAtMs = Date.now();
    tokens.set(accessToken, { expiresAt: issuedAtMs + params.tokenLifetimeSeconds * 1000, scope });
    sendJson(
      res,
      200,
      gatewayTokenResponse({ accessToken, clientId: CLIENT_ID, scope, lifetimeSeconds: params.tokenLifetimeSeconds, issuedAtMs }),
    );
  };

  const hello = (req: IncomingMessage, res: ServerResponse): void => {
    // Only the `Bearer` scheme (RFC 6750 §2.1): "BearerToken", the token_type the gateway itself
    // returns, is not an HTTP authentication scheme and is refused.
    const match = /^(\S+) (\S+)$/.exec(req.headers.authorization ?? '');
    const scheme = match?.[1]?.toLowerCase();
    const token = match?.[2];
    const issued = scheme === 'bearer' && token ? tokens.get(token) : undefined;
    if (!issued || issued.expiresAt <= Date.now()) {
      const error = match ? ', error="invalid_token"' : '';
      sendJson(res, 401, { fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } } }, {
        'www-authenticate': `Bearer realm="gateway"${error}`,
      });
      return;
    }
    sendJson(res, 200, { message: 'Hello, World!', scope: issued.scope });
  };

  const listener = await listenHttps(params.tls, 'none', handle, params.lifecycle);
  return {
    baseUrl: listener.origin,
    tokenEndpoint: `${listener.origin}${TOKEN_PATH}`,
    helloUrl: `${listener.origin}${HELLO_PATH}`,
    clientId: CLIENT_ID,
    clientSecret,
    scopes: [...SCOPES],
    stats,
    faults,
    log,
    setErrorStyle(style: GatewayErrorStyle): void {
      errorStyle = style;
    },
  };
}

/**
 * The BNP Paribas CIB gateway page (OAuth2 - Client Credentials): `base64(consumerKey + ":" + consumerSecret)`, split at the FIRST colon and compared
 * as is — no form-urlencoding is undone (unlike RFC 6749 §2.3.1).
 */
function rawBasicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i === -1) return undefined;
  return { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

function safeEqual(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
