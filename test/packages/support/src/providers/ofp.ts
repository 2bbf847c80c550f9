import type { ClientCertName, Sandbox } from '@finauth/sandbox';
import { QUICK_RETRY } from '../quickRetry.js';

export type OfpFapiClient = 'ps256' | 'es256' | 'tlsClientAuth';

/**
 * A fapi2 provider for one of the sandbox OFP's FAPI clients, written the way a user writes one:
 * `file:` references to the PEMs PayNet-style onboarding hands out. `clientAuth` and `tls` overrides
 * are merged into the defaults; no retry block (core's defaults).
 */
export function fapiProvider(sb: Sandbox, client: OfpFapiClient, overrides: { id?: string; cert?: ClientCertName; clientAuth?: Record<string, unknown>; tls?: Record<string, unknown>; [k: string]: unknown } = {}): Record<string, unknown> {
  const { id, cert, clientAuth, tls, ...rest } = overrides;
  const certFiles = sb.pki.clients[cert ?? 'transport'];
  const signing = client === 'es256' ? sb.pki.signing.es256 : sb.pki.signing.ps256;
  return {
    id: id ?? client,
    strategy: 'fapi2',
    issuer: sb.ofp.issuer,
    clientId: sb.ofp.clients[client].clientId,
    clientAuth: client === 'tlsClientAuth' ? { method: 'tls_client_auth' } : { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid, ...clientAuth },
    tls: { cert: `file:${certFiles.cert}`, key: `file:${certFiles.key}`, ca: `file:${sb.pki.caCert}`, ...tls },
    scope: 'accounts',
    ...rest,
  };
}

/** The OFP's secret clients, by the strategy that speaks their method. */
const SECRET_CLIENTS = {
  basic: { id: 'op', strategy: 'client_secret_basic' },
  post: { id: 'plugin-post', strategy: 'client_secret_post', scope: 'accounts' },
} as const;

function ofpSecretProvider(sb: Sandbox, which: keyof typeof SECRET_CLIENTS, extra: Record<string, unknown>): Record<string, unknown> {
  const client = sb.ofp.clients[which];
  return {
    ...SECRET_CLIENTS[which],
    tokenEndpoint: client.tokenEndpoint,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tls: { ca: `file:${sb.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** The OFP's `client_secret_basic` client (RFC 6749 §2.3.1), for the client-secret-basic strategy. */
export const ofpBasicProvider = (sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> => ofpSecretProvider(sb, 'basic', extra);

/** The OFP's `client_secret_post` client, for the outside plug-in (test/plugins/client-secret-post). */
export const ofpPostProvider = (sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> => ofpSecretProvider(sb, 'post', extra);
