import type { TlsPolicy } from '@finauth/core';

/**
 * The TLS 1.2 cipher suites FAPI 2.0 permits, restricted to forward-secret ECDHE with AES-GCM
 * (BCP 195's recommendation). TLS 1.3 suites are Node's defaults, all strong.
 * @see FAPI 2.0 Security Profile §5.2.1, RFC 9325 (BCP 195) §4.2
 */
export const FAPI2_TLS12_CIPHERS = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'].join(':');

/** Every connection of a fapi2 provider: TLS 1.2 or later, the suites above, a client certificate. */
export const FAPI2_TLS_POLICY: TlsPolicy = Object.freeze({ minVersion: 'TLSv1.2', ciphers: FAPI2_TLS12_CIPHERS, requireClientCertificate: true });
