import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { MaterialRef, SecretRef } from './SecretRef.js';

/**
 * The message MinLength(1) gave: IsNotEmpty has the same verdict for a string (IsString rejects
 * anything else first) without counting the characters of a whole PEM, three times per provider
 * at creation, as validator.js's isLength does (docs/performance.md, scale).
 */
const NOT_EMPTY = { message: '$property must be longer than or equal to 1 characters' };

/** TLS material of a provider: PEM values or `file:` / `env:` references to them. */
export class TlsConfig {
  /** Client certificate (chain), PEM: presented for mutual TLS. Public: not masked in messages. */
  @IsOptional() @IsString() @IsNotEmpty(NOT_EMPTY) @MaterialRef()
  cert?: string;

  /** The certificate's private key, PEM. */
  @IsOptional() @IsString() @IsNotEmpty(NOT_EMPTY) @SecretRef()
  key?: string;

  /** Passphrase of an encrypted `key`. */
  @IsOptional() @IsString() @SecretRef()
  passphrase?: string;

  /** Extra trust anchors (a private CA), PEM. Added to the system's roots, never replacing verification. */
  @IsOptional() @IsString() @IsNotEmpty(NOT_EMPTY) @MaterialRef()
  ca?: string;
}
