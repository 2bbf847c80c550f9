import { SecretRef } from '@finauth/core';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import type { Signer } from '@finauth/client-auth';
import { CLIENT_AUTH_METHODS, SIGNING_ALGS, type ClientAuthMethod, type SigningAlg } from './algorithms.js';

/** A PEM string (or a reference to one) or a JWK object: which of the two is checked at creation. */
function IsKeyMaterial(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKeyMaterial',
      validator: {
        validate: (value: unknown) => (typeof value === 'string' && value.length > 0) || (typeof value === 'object' && value !== null && !Array.isArray(value)),
        defaultMessage: () => 'signingKey must be a PKCS#8 PEM string, an env:/file: reference, or a JWK object',
      },
    },
    options,
  );
}

/** An object with a `sign` function and an `alg` (a KMS or HSM adapter). */
function IsSigner(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSigner',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && typeof (value as { sign?: unknown }).sign === 'function' && typeof (value as { alg?: unknown }).alg === 'string',
        defaultMessage: () => 'signer must be an object with an alg and a sign(claims, header) function',
      },
    },
    options,
  );
}

/**
 * How the client proves who it is at the token endpoint (DESIGN.md §3).
 * @see RFC 7523 §2.2 (private_key_jwt), RFC 8705 §2 (tls_client_auth)
 */
export class ClientAuthConfig {
  @IsString() @IsIn([...CLIENT_AUTH_METHODS], { message: `method must be one of: ${CLIENT_AUTH_METHODS.join(', ')}` })
  method!: ClientAuthMethod;

  /** private_key_jwt: a PKCS#8 PEM, a JWK object with its private members, or an env:/file: reference. */
  @ValidateIf((o: ClientAuthConfig) => o.method === 'private_key_jwt' && o.signer === undefined)
  @IsKeyMaterial({ message: 'signingKey is required for private_key_jwt (a PKCS#8 PEM, a JWK object, or an env:/file: reference), unless a signer is given' })
  @SecretRef()
  signingKey?: string | Record<string, unknown>;

  /** Instead of `signingKey`: an object that signs (the private key stays in a KMS or HSM). Programmatic config only. */
  @IsOptional() @IsSigner()
  // Kept as given: class-transformer would otherwise copy it into a new object and lose its methods.
  @Transform(({ obj }) => (obj as Record<string, unknown>)['signer'], { toClassOnly: true })
  signer?: Signer;

  /** PS256 (default), ES256 or EdDSA. */
  @IsOptional() @IsString() @IsIn([...SIGNING_ALGS], { message: `alg must be one of: ${SIGNING_ALGS.join(', ')} (FAPI 2.0 Security Profile §5.4)` })
  alg?: SigningAlg;

  /** The `kid` the bank registered for the signing key; defaults to the key's RFC 7638 thumbprint. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256) @Matches(/^[\x21-\x7e]+$/, { message: 'kid must be printable ASCII without spaces' })
  kid?: string;

  /** `issuer` (default, FAPI 2.0), `token_endpoint`, or an explicit audience string. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(2048)
  audience?: string;
}
