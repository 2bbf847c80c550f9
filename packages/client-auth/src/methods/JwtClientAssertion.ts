import { randomUUID } from 'node:crypto';
import type { FinauthError, TokenCallContext, TokenRequest } from '@finauth/core';
import { AdaptiveSetting, type Candidate } from '../adaptation/AdaptiveSetting.js';
import { AUTO_AUDIENCE_LADDER, audienceCandidates, type AudienceRule, type AudienceSetting } from '../assertion/audience.js';
import type { ClientAssertionClaims } from '../assertion/ClientAssertionClaims.js';
import type { Signer } from '../signing/Signer.js';
import type { AuthenticationMoment, ClientAuthentication } from './ClientAuthentication.js';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** FAPI-friendly: an assertion lives one minute (long enough for one request, short for replay). */
export const ASSERTION_LIFETIME_SECONDS = 60;

export interface JwtAssertionSettings {
  readonly clientId: string;
  /** The issuer identifier, when known (discovery or config). */
  readonly issuer?: string | undefined;
  /** `auto` (default): adapts; anything else is sent as configured, every time. */
  readonly audience?: AudienceSetting | undefined;
  /** A profile's audience rule, tried first under `auto` (Entra: the token endpoint). */
  readonly profileAudience?: AudienceRule | undefined;
  /** Seconds from `iat` to `exp`; already capped by the profile. */
  readonly lifetimeSeconds?: number | undefined;
  /** JOSE header members besides `alg`: `kid`, `typ`, `x5t#S256`, ... (computed once). */
  readonly header?: Readonly<Record<string, unknown>> | undefined;
  /** Where `audience` sits in the provider config, for the pin message. */
  readonly path?: string | undefined;
  /** Shorthand for `header.kid`. */
  readonly kid?: string | undefined;
}

/**
 * A client assertion (RFC 7523 §2.2) signed by `signer`: private_key_jwt with an asymmetric key,
 * client_secret_jwt with an HMAC of the secret. A new assertion, with a new random `jti`, is built
 * for every request, retries and adaptation attempts included.
 * @see RFC 7523 §2.2 and §3, RFC 7521 §4.2, OIDC Core §9, FAPI 2.0 Security Profile §5.3.2.1
 */
export class JwtClientAssertion implements ClientAuthentication {
  readonly recoveries: number;
  private readonly audience: AudienceSetting;
  private readonly header: Readonly<Record<string, unknown>>;
  private readonly lifetimeSeconds: number;
  private readonly path: string;
  private readonly adaptive: AdaptiveSetting | undefined;
  /** The candidates of the last token endpoint seen: the same for every request until discovery moves it. */
  #memo: { tokenEndpoint: string; nonAlias: string | undefined; candidates: Candidate[] } | undefined;

  constructor(
    readonly method: 'private_key_jwt' | 'client_secret_jwt',
    private readonly signer: Signer,
    private readonly settings: JwtAssertionSettings,
  ) {
    this.audience = settings.audience ?? 'auto';
    this.header = { ...(settings.kid !== undefined ? { kid: settings.kid } : {}), ...settings.header };
    this.lifetimeSeconds = settings.lifetimeSeconds ?? ASSERTION_LIFETIME_SECONDS;
    this.path = settings.path ?? 'clientAuth.audience';
    const ladder = this.audience === 'auto' ? (settings.profileAudience ? 1 : 0) + AUTO_AUDIENCE_LADDER.length : 1;
    this.adaptive = ladder > 1 ? new AdaptiveSetting(this.path, ladder) : undefined;
    this.recoveries = ladder - 1;
  }

  /** The `aud` the next fetch's first attempt sends to `tokenEndpoint` (the remembered variant under `auto`). */
  audienceFor(tokenEndpoint: string, nonAliasTokenEndpoint?: string): string {
    const candidates = this.candidates({ tokenEndpoint, nonAliasTokenEndpoint });
    return (candidates.find((c) => c.key === this.adaptive?.remembered) ?? candidates[0])?.value ?? tokenEndpoint;
  }

  claims(moment: AuthenticationMoment, aud = this.audienceFor(moment.tokenEndpoint, moment.nonAliasTokenEndpoint)): ClientAssertionClaims {
    const { clientId } = this.settings;
    const iat = moment.nowSeconds;
    return { iss: clientId, sub: clientId, aud, jti: randomUUID(), iat, nbf: iat, exp: iat + this.lifetimeSeconds };
  }

  async apply(request: TokenRequest, moment: AuthenticationMoment): Promise<void> {
    const candidates = this.candidates(moment);
    const chosen = this.adaptive && moment.fetch ? this.adaptive.pick(moment.fetch, candidates) : candidates[0];
    const aud = chosen?.value ?? moment.tokenEndpoint;
    // A fresh header object per call: a signer may write to what it is given (alg, for one).
    const assertion = await this.signer.sign(this.claims(moment, aud), { ...this.header });
    delete request.headers['authorization'];
    request.body.delete('client_secret');
    request.body.set('client_assertion_type', JWT_BEARER_ASSERTION_TYPE);
    request.body.set('client_assertion', assertion);
  }

  recover(error: FinauthError, context: TokenCallContext): boolean {
    return this.adaptive?.recover(error, context) ?? false;
  }

  accepted(context: TokenCallContext): void {
    this.adaptive?.accepted(context);
  }

  private candidates(moment: Pick<AuthenticationMoment, 'tokenEndpoint' | 'nonAliasTokenEndpoint'>): Candidate[] {
    const { tokenEndpoint, nonAliasTokenEndpoint } = moment;
    const memo = this.#memo;
    if (memo && memo.tokenEndpoint === tokenEndpoint && memo.nonAlias === nonAliasTokenEndpoint) return memo.candidates;
    const inputs = { issuer: this.settings.issuer, tokenEndpoint, nonAliasTokenEndpoint };
    const candidates = audienceCandidates(this.audience, this.settings.profileAudience, inputs, this.path);
    this.#memo = { tokenEndpoint, nonAlias: nonAliasTokenEndpoint, candidates };
    return candidates;
  }
}

/** private_key_jwt: a JWT signed with the client's private key (or by a KMS/HSM through a Signer). @see RFC 7523 §2.2, OIDC Core §9 */
export class PrivateKeyJwt extends JwtClientAssertion {
  constructor(signer: Signer, settings: JwtAssertionSettings) {
    super('private_key_jwt', signer, settings);
  }
}
