import type { HmacAlg } from '../signing/algorithms.js';
import { HmacSigner } from '../signing/HmacSigner.js';
import { JwtClientAssertion, type JwtAssertionSettings } from './JwtClientAssertion.js';

/**
 * client_secret_jwt: a client assertion with an HMAC (HS256 by default) keyed by the client
 * secret. The secret itself never travels.
 * @see OIDC Core §9, RFC 7523 §2.2
 */
export class ClientSecretJwt extends JwtClientAssertion {
  constructor(clientSecret: string, alg: HmacAlg, settings: JwtAssertionSettings) {
    super('client_secret_jwt', new HmacSigner(clientSecret, alg), settings);
  }
}
