import { IsIn, IsOptional, IsString } from 'class-validator';
import { AssertionKeyFields } from '@finauth/client-auth';
import { CLIENT_AUTH_METHODS, SIGNING_ALGS, type ClientAuthMethod, type SigningAlg } from './algorithms.js';

/**
 * How the client proves who it is at the token endpoint. `signingKey`, `signer`, `kid` and
 * `audience` are AssertionKeyFields, shared with oauth2.
 * @see RFC 7523 §2.2 (private_key_jwt), RFC 8705 §2 (tls_client_auth)
 */
export class ClientAuthConfig extends AssertionKeyFields {
  @IsString() @IsIn([...CLIENT_AUTH_METHODS], { message: `method must be one of: ${CLIENT_AUTH_METHODS.join(', ')}` })
  method!: ClientAuthMethod;

  /** PS256 (default), ES256 or EdDSA. */
  @IsOptional() @IsString() @IsIn([...SIGNING_ALGS], { message: `alg must be one of: ${SIGNING_ALGS.join(', ')} (FAPI 2.0 Security Profile §5.4)` })
  alg?: SigningAlg;
}
