import { IsOptional, IsString, MinLength } from 'class-validator';
import { MaterialRef, SecretRef } from './SecretRef.js';

/** TLS material of a provider: PEM values or `file:` / `env:` references to them. */
export class TlsConfig {
  /** Client certificate (chain), PEM: presented for mutual TLS. Public: not masked in messages. */
  @IsOptional() @IsString() @MinLength(1) @MaterialRef()
  cert?: string;

  /** The certificate's private key, PEM. */
  @IsOptional() @IsString() @MinLength(1) @SecretRef()
  key?: string;

  /** Passphrase of an encrypted `key`. */
  @IsOptional() @IsString() @SecretRef()
  passphrase?: string;

  /** Extra trust anchors (a private CA), PEM. Added to the system's roots, never replacing verification. */
  @IsOptional() @IsString() @MinLength(1) @MaterialRef()
  ca?: string;
}
