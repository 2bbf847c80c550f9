import { ProviderConfig, SecretRef } from '@finauth/core';
import { IsNotEmpty, IsString, IsUrl } from 'class-validator';

export class ClientSecretPostConfig extends ProviderConfig {
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false })
  tokenEndpoint!: string;

  @IsString() @IsNotEmpty()
  clientId!: string;

  @IsString() @IsNotEmpty() @SecretRef()
  clientSecret!: string;
}
