import { ProviderConfig, SecretRef } from '@finauth/core';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, ValidateBy, type ValidationArguments } from 'class-validator';
import { CREDENTIAL_ENCODINGS, RAW_COLON_MESSAGE, sendableRaw, type CredentialEncodingSetting } from '@finauth/client-auth';

const ENCODING_SETTINGS = ['auto', ...CREDENTIAL_ENCODINGS];

/** `clientId` can go out with the provider's `credentialEncoding` (a decorator, so it is reported with every other issue). */
function SendableWithEncoding(): PropertyDecorator {
  return ValidateBy({
    name: 'sendableWithEncoding',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value !== 'string' || (args?.object as ClientSecretBasicConfig | undefined)?.credentialEncoding !== 'raw' || sendableRaw(value),
      defaultMessage: () => RAW_COLON_MESSAGE,
    },
  });
}

/**
 * A provider reached with HTTP Basic client credentials (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials"). `scope`, `tls`
 * (`ca`, and `cert`/`key` when a gateway also wants mutual TLS), `timeoutMs` and `retry` come
 * from ProviderConfig.
 */
export class ClientSecretBasicConfig extends ProviderConfig {
  /**
   * Where the token request goes, and the only place the Basic credentials ever go.
   * HTTPS only: the credentials are merely encoded. Loopback and private hosts are allowed (no TLD needed).
   * @see RFC 6749 §3.2 (TLS required, no fragment)
   */
  @IsString()
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false, allow_fragments: false, disallow_auth: true, allow_underscores: true },
    { message: 'must be an https URL without a fragment or user info' },
  )
  tokenEndpoint!: string;

  /** The consumer key. @see RFC 6749 §2.2 */
  @IsString() @IsNotEmpty() @SendableWithEncoding()
  @Matches(/^\P{Cs}*$/u, { message: 'is not well-formed Unicode (a lone surrogate cannot be sent as UTF-8)' })
  clientId!: string;

  /** The consumer secret: a value, or an `env:` / `file:` reference to it. */
  @IsString() @IsNotEmpty() @SecretRef()
  @Matches(/^\P{Cs}*$/u, { message: 'is not well-formed Unicode (a lone surrogate cannot be sent as UTF-8)' })
  clientSecret!: string;

  /**
   * `auto` (the default: `form-urlencoded` first, `raw` after an authentication rejection, the one
   * that works remembered), `form-urlencoded` (RFC 6749 §2.3.1) or `raw` (the BNP Paribas CIB gateway page's pseudo code).
   * An explicit value is sent every time.
   */
  @IsOptional() @IsIn(ENCODING_SETTINGS, { message: `must be one of: ${ENCODING_SETTINGS.join(', ')}` })
  credentialEncoding?: CredentialEncodingSetting;
}
