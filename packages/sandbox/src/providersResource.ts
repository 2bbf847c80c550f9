import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Provider } from 'oidc-provider';
import { bearerToken, sendJson } from './jsonResponse.js';
import { certificateThumbprint, verifiedPeerCertificate } from './peerCertificate.js';

/** What GET /providers returns: the OFM developer portal's (Section 4) "next step", a list of data providers. */
export const PROVIDERS = [
  { providerId: 'sandbox-bank-a', name: 'Sandbox Bank A', status: 'active' },
  { providerId: 'sandbox-bank-b', name: 'Sandbox Bank B', status: 'active' },
];

/**
 * A protected resource of the OFP: 200 only to a Bearer token this OP issued that is bound
 * (RFC 8705 §3, `cnf.x5t#S256`) to the client certificate presented on this very connection.
 */
export async function serveProviders(req: IncomingMessage, res: ServerResponse, provider: Provider): Promise<void> {
  const realm = `realm="${provider.issuer}"`;
  if (req.method !== 'GET') {
    sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
    return;
  }
  const value = bearerToken(req.headers.authorization);
  if (!value) {
    // RFC 6750 §3.1: no error code when the request carried no token at all.
    sendJson(res, 401, { error: 'unauthorized', error_description: 'a Bearer access token is required' }, {
      'www-authenticate': `Bearer ${realm}`,
    });
    return;
  }
  const invalid = (description: string): void =>
    sendJson(res, 401, { error: 'invalid_token', error_description: description }, {
      'www-authenticate': `Bearer ${realm}, error="invalid_token", error_description="${description}"`,
    });

  const token = await provider.ClientCredentials.find(value);
  if (!token || token.exp * 1000 <= Date.now()) {
    invalid('unknown or expired access token');
    return;
  }
  const cert = verifiedPeerCertificate(req.socket as TLSSocket);
  const bound = token['x5t#S256'];
  if (!bound || !cert || certificateThumbprint(cert) !== bound) {
    invalid('access token is not bound to the client certificate of this connection');
    return;
  }
  sendJson(res, 200, { providers: PROVIDERS, client_id: token.clientId });
}
