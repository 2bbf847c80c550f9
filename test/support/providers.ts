import type { Sandbox } from '@finauth/sandbox';

/** Retries quick enough for tests: a Retry-After beyond 2 s fails at once. */
export const QUICK_RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 2000 });

/** FAPI 2.0 private_key_jwt (PS256) over mTLS, written as a user writes it: `file:` references. */
export function fapiKeyJwt(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const signing = sb.pki.signing.ps256;
  const certs = sb.pki.clients.transport;
  return {
    id: 'ofp-pkjwt',
    strategy: 'fapi2',
    issuer: sb.ofp.issuer,
    clientId: sb.ofp.clients.ps256.clientId,
    clientAuth: { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid },
    tls: { cert: `file:${certs.cert}`, key: `file:${certs.key}`, ca: `file:${sb.pki.caCert}` },
    scope: 'accounts',
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** FAPI 2.0 tls_client_auth: the transport certificate is the credential (RFC 8705 §2.1). */
export function fapiTlsAuth(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const certs = sb.pki.clients.transport;
  return {
    id: 'ofp-mtls',
    strategy: 'fapi2',
    issuer: sb.ofp.issuer,
    clientId: sb.ofp.clients.tlsClientAuth.clientId,
    clientAuth: { method: 'tls_client_auth' },
    tls: { cert: `file:${certs.cert}`, key: `file:${certs.key}`, ca: `file:${sb.pki.caCert}` },
    scope: 'accounts',
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** The BNP-style gateway (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials"): HTTP Basic, `raw` credentials, non-standard token response. */
export function bnpBasic(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bnp',
    strategy: 'client_secret_basic',
    tokenEndpoint: sb.gateway.tokenEndpoint,
    clientId: sb.gateway.clientId,
    clientSecret: sb.gateway.clientSecret,
    credentialEncoding: 'raw',
    tls: { ca: `file:${sb.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** The outside plug-in (test/plugins/client-secret-post) against the sandbox's non-FAPI OP. */
export function pluginPost(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'plugin-post',
    strategy: 'client_secret_post',
    tokenEndpoint: sb.ofp.clients.post.tokenEndpoint,
    clientId: sb.ofp.clients.post.clientId,
    clientSecret: sb.ofp.clients.post.clientSecret,
    scope: 'accounts',
    tls: { ca: `file:${sb.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** Indonesia's SNAP BI bank: JSON body, X-SIGNATURE over clientKey|timestamp with the partner's (PKCS#1) key. */
export function snapBiBank(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'snap',
    strategy: 'snap_bi',
    tokenEndpoint: sb.snap.tokenEndpoint,
    clientKey: sb.snap.clientKey,
    privateKey: `file:${sb.snap.keys.privateKey}`,
    tls: { ca: `file:${sb.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}
