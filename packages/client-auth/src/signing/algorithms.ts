/**
 * The asymmetric JWS algorithms a client assertion or a DPoP proof may be signed with. The
 * `none` algorithm and the HMAC family are not here: a Signer holds a private key (HMAC is
 * client_secret_jwt's, see ClientSecretJwt). Strategies narrow this list (FAPI 2.0: PS256, ES256,
 * EdDSA).
 * @see RFC 7518 §3.1, RFC 8037 §3.1
 */
export const ASYMMETRIC_ALGS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'EdDSA'] as const;
export type AsymmetricAlg = (typeof ASYMMETRIC_ALGS)[number];

/** The JWS algorithms FAPI 2.0 allows; RS256 and every HMAC algorithm are excluded on purpose. @see FAPI 2.0 Security Profile §5.4 */
export const FAPI_SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA'] as const satisfies readonly AsymmetricAlg[];

/** client_secret_jwt's algorithms: HMAC keyed with the client secret. @see RFC 7518 §3.2, OIDC Core §9 */
export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
export type HmacAlg = (typeof HMAC_ALGS)[number];

/** Any algorithm a Signer may declare. */
export type JwsAlg = AsymmetricAlg | HmacAlg;

export function isAsymmetricAlg(value: unknown): value is AsymmetricAlg {
  return typeof value === 'string' && (ASYMMETRIC_ALGS as readonly string[]).includes(value);
}
