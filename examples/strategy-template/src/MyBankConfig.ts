import { ProviderConfig, SecretRef } from '@finauth/core';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl } from 'class-validator';

/**
 * A provider of this strategy, as written in a config file. `id`, `strategy`, `scope`, `tls`,
 * `timeoutMs` and `retry` come from ProviderConfig. Every field has a class-validator decorator:
 * a field without one is reported as unknown.
 */
export class MyBankConfig extends ProviderConfig {
  /** The bank's token endpoint: https only (RFC 6749 §3.2). */
  @IsString()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'must be an https URL' })
  tokenEndpoint!: string;

  @IsString() @IsNotEmpty()
  clientId!: string;

  /** A value, or `env:NAME` / `file:path`: @SecretRef resolves the reference and masks the value in errors. */
  @IsString() @IsNotEmpty() @SecretRef()
  clientSecret!: string;

  /** An example of a bank quirk kept as a setting: where the bank wants the client id. */
  @IsOptional() @IsIn(['body', 'both'], { message: 'must be "body" or "both"' })
  clientIdIn?: 'body' | 'both';
}
