import type { Sandbox } from '@finauth/sandbox';
import { QUICK_RETRY } from '../quickRetry.js';

/** The sandbox's BNP-style gateway (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials"): HTTP Basic, it accepts only `raw` credentials. */
export function gatewayProvider(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
