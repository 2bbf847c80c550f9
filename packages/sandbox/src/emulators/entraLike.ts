import { createHash, X509Certificate } from 'node:crypto';
import type { TlsMaterial } from '../httpsListener.js';
import { sendJson } from '../jsonResponse.js';
import { checkAssertion } from './checkAssertion.js';
import { startEmulatedServer, type EmulatedServer } from './EmulatedServer.js';

export interface EntraLikeOptions {
  readonly tls: TlsMaterial;
  readonly clientId: string;
  /** The client's certificate credential (PEM): its key verifies the assertion, its SHA-256 thumbprint must be the header's `x5t#S256`. */
  readonly certificate: string;
  readonly tenant?: string;
}

/**
 * An Entra ID-like v2.0 endpoint, checking what Microsoft's certificate-credentials page says the
 * real one checks: header `alg` PS256 and `x5t#S256` = base64url(SHA-256(certificate DER)) of the
 * registered certificate, signature by that certificate's key, `aud` = its own token URL
 * (`/{tenant}/oauth2/v2.0/token`), iss = sub = the app id, single-use `jti`. A refusal is
 * 401 `invalid_client` with an AADSTS-style description.
 */
export async function startEntraLike(options: EntraLikeOptions): Promise<EmulatedServer> {
  const tenant = options.tenant ?? 'finauth-tenant';
  const cert = new X509Certificate(options.certificate);
  const thumbprint = createHash('sha256').update(cert.raw).digest('base64url');
  const seen = new Set<string>();
  return startEmulatedServer({
    tls: options.tls,
    issuerPath: `/${tenant}/v2.0`,
    tokenPath: `/${tenant}/oauth2/v2.0/token`,
    metadata: ({ issuer, tokenEndpoint }) => ({ issuer, token_endpoint: tokenEndpoint, token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'] }),
    authenticate: async (_req, form, { tokenEndpoint }) => {
      const reason = await checkAssertion(
        form,
        {
          clientId: options.clientId,
          publicKey: cert.publicKey,
          algs: ['PS256'],
          audience: (aud) => aud === tokenEndpoint,
          header: (h) => (h['x5t#S256'] === thumbprint ? undefined : 'x5t#S256 does not name the registered certificate'),
        },
        seen,
        Math.floor(Date.now() / 1000),
      );
      return reason ? { ok: false, reason } : { ok: true };
    },
    refuse: (res, reason) => sendJson(res, 401, { error: 'invalid_client', error_description: `AADSTS700027: Client assertion failed signature validation or claims check (${reason}).`, error_codes: [700027] }),
    tokenResponse: () => ({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 }),
  });
}
