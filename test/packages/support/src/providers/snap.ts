import type { Sandbox } from '@finauth/sandbox';
import { QUICK_RETRY } from '../quickRetry.js';

/** The sandbox's SNAP BI bank (Indonesia): JSON body, X-SIGNATURE over clientKey|timestamp with the partner's registered (PKCS#1) key. */
export function snapProvider(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
