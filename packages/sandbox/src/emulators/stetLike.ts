import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsMaterial } from '../httpsListener.js';
import { sendJson } from '../jsonResponse.js';
import { startEmulatedServer, type EmulatedServer } from './EmulatedServer.js';

export interface StetLikeOptions {
  readonly tls: TlsMaterial;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * A careless bank: its `invalid_client` answer quotes the request line, query and all (so the
   * secret comes back in `error_description`). Default false.
   */
  readonly echoRequestInErrors?: boolean;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A STET-style bank token endpoint that reads the client credentials only from the URL query,
 * as BPCE documents its token request (`POST /psd2/oauth/token?client_id=…&scope=…`): the body
 * carries `grant_type`, and `client_id`/`client_secret` in the body or an `Authorization` header
 * count for nothing. A refusal is `401 {"error":"invalid_client"}` (RFC 6749 §5.2).
 * @see https://www.api.89c3.com/en/component/bpceportal/products/269/usecases/212
 */
export async function startStetLike(options: StetLikeOptions): Promise<EmulatedServer> {
  return startEmulatedServer({
    tls: options.tls,
    issuerPath: '',
    tokenPath: '/psd2/oauth/token',
    metadata: (urls) => ({ issuer: urls.issuer, token_endpoint: urls.tokenEndpoint, token_endpoint_auth_methods_supported: ['client_secret_post'] }),
    authenticate: (req: IncomingMessage, form: URLSearchParams) => {
      const query = new URL(req.url ?? '/', 'https://127.0.0.1').searchParams;
      const id = query.get('client_id');
      const secret = query.get('client_secret');
      if (id === null || secret === null) {
        const elsewhere = form.has('client_secret') ? 'in the body' : req.headers.authorization ? 'in an Authorization header' : 'nowhere';
        return Promise.resolve({ ok: false, reason: `no credentials in the query (sent ${elsewhere})` });
      }
      return Promise.resolve(safeEqual(id, options.clientId) && safeEqual(secret, options.clientSecret) ? { ok: true } : { ok: false, reason: 'query credentials do not match' });
    },
    refuse: (res: ServerResponse, _reason: string, req: IncomingMessage) => {
      sendJson(res, 401, { error: 'invalid_client', error_description: options.echoRequestInErrors ? `client authentication failed for ${req.method} ${req.url}` : 'client authentication failed' });
    },
    tokenResponse: () => ({ token_type: 'Bearer', expires_in: 300 }),
  });
}
