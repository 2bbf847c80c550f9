import { randomUUID } from 'node:crypto';
import type { TokenRequest } from '@finauth/core';
import type { ClientAssertionClaims } from '../assertion/ClientAssertionClaims.js';
import type { AuthenticationMoment, ClientAuthentication } from './ClientAuthentication.js';
import type { Signer } from '../signing/Signer.js';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** FAPI-friendly: an assertion lives one minute (long enough for one request, short for replay). */
export const ASSERTION_LIFETIME_SECONDS = 60;

/** `issuer` (FAPI 2.0's choice), `token_endpoint` (RFC 7523's), or an explicit string. */
export type AudienceSetting = 'issuer' | 'token_endpoint' | (string & {});

/**
 * private_key_jwt: a signed JWT proves the client holds the key the bank registered. A new
 * assertion, with a new random `jti`, is built for every request, retries included.
 * @see RFC 7523 §2.2 and §3, RFC 7521 §4.2, FAPI 2.0 Security Profile §5.3.2.1
 */
export class PrivateKeyJwt implements ClientAuthentication {
  readonly method = 'private_key_jwt' as const;

  constructor(
    private readonly signer: Signer,
    private readonly settings: { readonly clientId: string; readonly issuer: string; readonly audience: AudienceSetting; readonly kid?: string },
  ) {}

  /** The `aud` claim for a request to `tokenEndpoint`. */
  audienceFor(tokenEndpoint: string): string {
    const { audience, issuer } = this.settings;
    // FAPI 2.0 SP §5.3.2.1: the issuer identifier as a string value; RFC 7523 §3: the token endpoint URL.
    if (audience === 'issuer') return issuer;
    if (audience === 'token_endpoint') return tokenEndpoint;
    return audience;
  }

  claims(moment: AuthenticationMoment): ClientAssertionClaims {
    const { clientId } = this.settings;
    const iat = moment.nowSeconds;
    return { iss: clientId, sub: clientId, aud: this.audienceFor(moment.tokenEndpoint), jti: randomUUID(), iat, nbf: iat, exp: iat + ASSERTION_LIFETIME_SECONDS };
  }

  async apply(request: TokenRequest, moment: AuthenticationMoment): Promise<void> {
    const kid = this.settings.kid;
    const assertion = await this.signer.sign({ ...this.claims(moment) }, kid === undefined ? {} : { kid });
    request.body.set('client_assertion_type', JWT_BEARER_ASSERTION_TYPE);
    request.body.set('client_assertion', assertion);
  }
}
