import { FAPI_SIGNING_ALGS } from '@finauth/client-auth';

/**
 * The JWS algorithms FAPI 2.0 allows for client assertions: PS256, ES256 and EdDSA (Ed25519).
 * RS256 and every HMAC algorithm are excluded on purpose.
 * @see FAPI 2.0 Security Profile §5.4 (cryptography and secrets)
 */
export const SIGNING_ALGS = FAPI_SIGNING_ALGS;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export const DEFAULT_SIGNING_ALG: SigningAlg = 'PS256';

/** The client authentication methods FAPI 2.0 allows. @see FAPI 2.0 Security Profile §5.3.2.1 */
export const CLIENT_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
