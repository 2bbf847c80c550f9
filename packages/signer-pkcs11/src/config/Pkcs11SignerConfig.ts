import { SecretRef } from '@finauth/core';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const PKCS11 = 'pkcs11';
/** Sessions per token when the config says nothing: see bench/signer-pkcs11 and the README for the measurement. */
export const DEFAULT_SESSIONS = 4;

/**
 * `clientAuth.signer` for a key in a PKCS#11 token (DESIGN.md §5):
 * `{ "type": "pkcs11", "module": "/usr/lib/softhsm/libsofthsm2.so", "tokenLabel": "finauth",
 *    "pin": "env:HSM_PIN", "keyLabel": "signing-ps256" }`.
 * The token by label or serial, the key by label or id: exactly one of each (checked at creation).
 */
export class Pkcs11SignerConfig {
  @IsString() @IsIn([PKCS11])
  type!: typeof PKCS11;

  /** Absolute path of the vendor's PKCS#11 library (.so). */
  @IsString() @MinLength(1) @MaxLength(4096)
  module!: string;

  /** CK_TOKEN_INFO.label, without the blank padding (32 bytes at most). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(32)
  tokenLabel?: string;

  /** CK_TOKEN_INFO.serialNumber, without the blank padding (16 bytes at most). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(16)
  tokenSerial?: string;

  /** The user PIN: write it as a reference (`env:HSM_PIN`, `file:...`); it is never printed. */
  @IsString() @MinLength(1) @MaxLength(256) @SecretRef()
  pin!: string;

  /** CKA_LABEL of the private key. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256)
  keyLabel?: string;

  /** CKA_ID of the private key, hex (as pkcs11-tool and softhsm2-util print it). */
  @IsOptional() @IsString() @Matches(/^(?:[0-9a-fA-F]{2}){1,64}$/, { message: 'keyId must be hex (an even number of digits, e.g. "01a2")' })
  keyId?: string;

  /** Sessions the token may run signatures on at once (default 4); 1 serialises every signature. */
  @IsOptional() @IsInt() @Min(1) @Max(64)
  sessions?: number;
}
