import type { Sandbox } from '@finauth/sandbox';

const QUICK_RETRY = { maxRetries: 2, maxDelayMs: 2000, baseDelayMs: 10 };

/** The BNP-style gateway: HTTP Basic, `raw` credentials. */
export function gatewayProvider(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bnp',
    strategy: 'client_secret_basic',
    tokenEndpoint: sb.gateway.tokenEndpoint,
    clientId: sb.gateway.clientId,
    clientSecret: sb.gateway.clientSecret,
    credentialEncoding: 'raw',
    tls: { ca: `file:${sb.pki.caCert}` },
    retry: QUICK_RETRY,
    ...extra,
  };
}

/** FAPI 2.0 private_key_jwt over mTLS, token endpoint from discovery. */
export function fapiProvider(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const signing = sb.pki.signing.ps256;
  const certs = sb.pki.clients.transport;
  return {
    id: 'ofp',
    strategy: 'fapi2',
    issuer: sb.ofp.issuer,
    clientId: sb.ofp.clients.ps256.clientId,
    clientAuth: { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid },
    tls: { cert: `file:${certs.cert}`, key: `file:${certs.key}`, ca: `file:${sb.pki.caCert}` },
    scope: 'accounts',
    retry: QUICK_RETRY,
    ...extra,
  };
}
