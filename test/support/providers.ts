import { fapiProvider, QUICK_RETRY } from '@finauth-test/support';
import type { Sandbox } from '@finauth/sandbox';

/** FAPI 2.0 private_key_jwt (PS256) over mTLS, written as a user writes it: `file:` references. `extra` replaces top-level keys whole. */
export function fapiKeyJwt(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fapiProvider(sb, 'ps256', { id: 'ofp-pkjwt', retry: { ...QUICK_RETRY } }), ...extra };
}

/** FAPI 2.0 tls_client_auth: the transport certificate is the credential (RFC 8705 §2.1). `extra` replaces top-level keys whole. */
export function fapiTlsAuth(sb: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fapiProvider(sb, 'tlsClientAuth', { id: 'ofp-mtls', retry: { ...QUICK_RETRY } }), ...extra };
}
