/**
 * The JWS algorithms an HSM key signs here: FAPI 2.0's set (PS256, ES256, EdDSA/Ed25519).
 * @see FAPI 2.0 Security Profile §5.4, RFC 7518 §3.4-3.5, RFC 8037 §3.1
 */
export const PKCS11_ALGS = ['PS256', 'ES256', 'EdDSA'] as const;
export type Pkcs11Alg = (typeof PKCS11_ALGS)[number];

/** FAPI 2.0 SP §5.4.1: RSA keys shall be at least 2048 bits. */
export const MIN_RSA_BITS = 2048;
