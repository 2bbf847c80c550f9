import { SecretRef } from '@finauth/core';
import { AssertionKeyFields, ASYMMETRIC_ALGS, CERTIFICATE_HEADER_MEMBERS, CLIENT_AUTH_METHODS, CREDENTIAL_PLACEMENTS, HMAC_ALGS, type ClientAuthMethod, type CredentialEncodingSetting, type CredentialPlacement } from '@finauth/client-auth';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

/** Methods that send (or sign with) the client secret. */
export const SECRET_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
const ALGS = [...ASYMMETRIC_ALGS, ...HMAC_ALGS];
const HEADER_KEYS = ['kid', ...CERTIFICATE_HEADER_MEMBERS];
const ENCODINGS = ['auto', 'form-urlencoded', 'raw'];

/**
 * How an oauth2 provider's client proves who it is (DESIGN.md §5). A profile fills the defaults;
 * each field given here overrides the profile's. `signingKey`, `signer`, `kid` and `audience` are
 * AssertionKeyFields, shared with fapi2.
 * @see RFC 6749 §2.3.1, OIDC Core §9, RFC 7523 §2.2, RFC 8705 §2
 */
export class Oauth2ClientAuthConfig extends AssertionKeyFields {
  @IsString() @IsIn([...CLIENT_AUTH_METHODS], { message: `method must be one of: ${CLIENT_AUTH_METHODS.join(', ')}` })
  method!: ClientAuthMethod;

  /** client_secret_basic, client_secret_post, client_secret_jwt: the secret, or an env:/file: reference. */
  @ValidateIf((o: Oauth2ClientAuthConfig) => SECRET_METHODS.includes(o.method) || o.clientSecret !== undefined)
  @IsString({ message: 'clientSecret is required for client_secret_basic, client_secret_post and client_secret_jwt (a value or an env:/file: reference)' })
  @IsNotEmpty()
  @Matches(/^\P{Cs}*$/u, { message: 'is not well-formed Unicode (a lone surrogate cannot be sent as UTF-8)' })
  @SecretRef()
  clientSecret?: string;

  /** client_secret_basic: `auto` (default), `form-urlencoded` (RFC 6749 §2.3.1) or `raw`. */
  @IsOptional() @IsIn(ENCODINGS, { message: `credentialEncoding must be one of: ${ENCODINGS.join(', ')}` })
  credentialEncoding?: CredentialEncodingSetting;

  /**
   * client_secret_post: `body` (default, RFC 6749 §2.3.1) or `query`, for a bank that reads
   * `client_id`/`client_secret` only from the token request's URL (some STET banks; see
   * docs/guides/oauth2.md). Never chosen by adaptation: a secret in a URL is a weaker placement.
   */
  @IsOptional() @IsIn([...CREDENTIAL_PLACEMENTS], { message: `credentialPlacement must be one of: ${CREDENTIAL_PLACEMENTS.join(', ')}` })
  credentialPlacement?: CredentialPlacement;

  /** private_key_jwt: an asymmetric JWS alg (PS256 unless the profile says otherwise); client_secret_jwt: HS256 (default), HS384, HS512. */
  @IsOptional() @IsString() @IsIn(ALGS, { message: `alg must be one of: ${ALGS.join(', ')}` })
  alg?: string;

  /** The signing key's certificate (PEM, chain allowed, or a reference): for `x5t#S256`, `x5t`, `x5c` headers. */
  @IsOptional() @IsString() @IsNotEmpty() @SecretRef()
  certificate?: string;

  /** Assertion lifetime in seconds (`exp - iat`); default 60, or the profile's. */
  @IsOptional() @IsInt() @Min(1) @Max(86_400)
  lifetimeSeconds?: number;

  /** Key references in the assertion header: any of `kid`, `x5t#S256`, `x5t`, `x5c` (default `kid`, or the profile's). */
  @IsOptional() @IsArray() @ArrayMaxSize(4) @IsIn(HEADER_KEYS, { each: true, message: `headerKeys entries must be among: ${HEADER_KEYS.join(', ')}` })
  headerKeys?: string[];

  /** The assertion header's `typ` (e.g. `JWT`); an empty string sends none. */
  @IsOptional() @IsString() @MaxLength(64)
  typ?: string;
}
