import type { AsymmetricAlg, AudienceRule, CertificateHeaderMember, ClientAuthMethod } from '@finauth/client-auth';

/** The JOSE header members a profile sends besides `alg`. */
export type HeaderKeyMember = 'kid' | CertificateHeaderMember;

/**
 * What a provider family requires at its token endpoint, as data. Every field is a default that
 * the provider config overrides field by field (`clientAuth.audience`, `clientAuth.lifetimeSeconds`,
 * `clientAuth.headerKeys`, `clientAuth.typ`, `clientAuth.alg`, `extraParams`, `interactionId`).
 * Each profile names the public page it follows (`sources`): docs/guides/oauth2.md lists them.
 */
export interface Oauth2Profile {
  readonly name: string;
  /** One line: who runs servers like this. */
  readonly summary: string;
  /** The pages each rule comes from. */
  readonly sources: readonly string[];
  /** The client authentication methods the family accepts (others are a ConfigError). */
  readonly methods: readonly ClientAuthMethod[];
  /** private_key_jwt algorithms the family accepts; the first is the default. Undefined: any asymmetric JWS alg, PS256 by default. */
  readonly algs?: readonly AsymmetricAlg[];
  /** The assertion `aud` tried first under `audience: "auto"`. Undefined: the standard ladder (issuer first). */
  readonly audience?: AudienceRule;
  /** Assertion lifetime (`exp - iat`) when the provider sets none. */
  readonly lifetimeSeconds?: number;
  /** The most the family accepts: a longer configured lifetime is a ConfigError. */
  readonly maxLifetimeSeconds?: number;
  /** Key references in the assertion header. Undefined: `kid`. */
  readonly headerKeys?: readonly HeaderKeyMember[];
  /** The header's `typ`, when the family sends one. */
  readonly typ?: string;
  /** Form parameters the family needs on every token request: their names must be in `extraParams`. */
  readonly requiredParams?: readonly string[];
  /** Mutual TLS on every connection (`tls.cert` and `tls.key` required, TLS 1.2 or later). */
  readonly mtls?: boolean;
  /** An `x-fapi-interaction-id` (RFC 4122 UUID) on every token request. */
  readonly interactionId?: boolean;
}
