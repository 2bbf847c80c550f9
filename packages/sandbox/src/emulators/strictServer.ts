import { timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsMaterial } from '../httpsListener.js';
import { checkAssertion } from './checkAssertion.js';
import { startEmulatedServer, type EmulatedServer } from './EmulatedServer.js';

export interface StrictServerOptions {
  readonly tls: TlsMaterial;
  readonly clientId: string;
  /** private_key_jwt: the registered public key and its alg. */
  readonly publicKey: KeyObject;
  readonly alg: string;
  /** client_secret_basic: compared with the raw Basic credentials (no form-url-decoding). */
  readonly clientSecret: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Basic` base64-decoded and split at the first colon, nothing more. */
function rawBasic(req: IncomingMessage): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const pair = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return colon < 0 ? undefined : { id: pair.slice(0, colon), secret: pair.slice(colon + 1) };
}

/**
 * The strict server of issue 20, modelled on an independent authorization server written in C:
 * every client-authentication failure is a bare 403 with an empty body; a private_key_jwt
 * assertion is accepted only when `aud` is exactly its own (non-alias) `/token` URL, also on its
 * mTLS alias; Basic credentials are compared raw (base64-decoded, split at the first colon, not
 * form-url-decoded), so the RFC 6749 §2.3.1 encoding of a secret with `+ / : %` is refused.
 */
export async function startStrictServer(options: StrictServerOptions): Promise<EmulatedServer> {
  const seen = new Set<string>();
  let nonAliasTokenEndpoint = '';
  const server = await startEmulatedServer({
    tls: options.tls,
    issuerPath: '',
    tokenPath: '/token',
    mtlsAlias: true,
    clientCerts: 'requested',
    metadata: (urls) => ({
      issuer: urls.issuer,
      token_endpoint: urls.tokenEndpoint,
      ...(urls.mtlsTokenEndpoint ? { mtls_endpoint_aliases: { token_endpoint: urls.mtlsTokenEndpoint } } : {}),
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    }),
    authenticate: async (req, form) => {
      if (form.has('client_assertion')) {
        const reason = await checkAssertion(
          form,
          { clientId: options.clientId, publicKey: options.publicKey, algs: [options.alg], audience: (aud) => aud === nonAliasTokenEndpoint },
          seen,
          Math.floor(Date.now() / 1000),
        );
        return reason ? { ok: false, reason } : { ok: true };
      }
      const basic = rawBasic(req);
      if (!basic) return { ok: false, reason: 'no client authentication' };
      return safeEqual(basic.id, options.clientId) && safeEqual(basic.secret, options.clientSecret) ? { ok: true } : { ok: false, reason: 'Basic credentials (compared raw) do not match' };
    },
    refuse: (res: ServerResponse) => {
      res.writeHead(403, { 'content-length': '0' });
      res.end();
    },
    tokenResponse: () => ({ token_type: 'Bearer', expires_in: 300 }),
  });
  nonAliasTokenEndpoint = server.tokenEndpoint;
  return server;
}
