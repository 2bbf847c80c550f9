import { SecretRef } from '@finauth/core';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { Signer } from '../signing/Signer.js';
import { IsSignerSetting } from '../signing/configuredSigner.js';
import { IsKeyMaterial } from './validators.js';

/**
 * The `clientAuth` fields of a signed client assertion that every strategy writes the same way
 * (fapi2 and oauth2 extend this class with their own `method` and `alg` lists).
 */
export class AssertionKeyFields {
  /** private_key_jwt: a PKCS#8 PEM, a JWK object with its private members, or an env:/file: reference. */
  // `method` is declared by each strategy's config class, with the methods it allows.
  @ValidateIf((o: AssertionKeyFields & { method?: unknown }) => o.method === 'private_key_jwt' && o.signer === undefined)
  @IsKeyMaterial({ message: 'signingKey is required for private_key_jwt (a PKCS#8 PEM, a JWK object, or an env:/file: reference), unless a signer is given' })
  @SecretRef()
  signingKey?: string | Record<string, unknown>;

  /**
   * Instead of `signingKey`: an object that signs (the private key stays in a KMS or HSM), or a
   * config-declared signer `{ "type": "pkcs11", ... }` built by the factory registered for its type.
   */
  @IsOptional() @IsSignerSetting()
  // Kept as given: class-transformer would otherwise copy it into a new object and lose its methods.
  @Transform(({ obj }) => (obj as Record<string, unknown>)['signer'], { toClassOnly: true })
  signer?: Signer | Record<string, unknown>;

  /** The `kid` the server registered for the signing key; defaults to the key's RFC 7638 thumbprint. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256) @Matches(/^[\x21-\x7e]+$/, { message: 'kid must be printable ASCII without spaces' })
  kid?: string;

  /**
   * `auto` (default: the issuer first, as FAPI 2.0 SP §5.3.2.1 says, or the profile's rule; after an
   * authentication rejection the URL posted to, then the non-alias token endpoint; the one that
   * works is remembered), `issuer`, `token_endpoint`, or an explicit audience string (sent every time).
   */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(2048)
  audience?: string;
}
