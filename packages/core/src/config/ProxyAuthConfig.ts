import { IsOptional, IsString } from 'class-validator';
import { SecretRef } from './SecretRef.js';

/** Credentials for the egress proxy (`Proxy-Authorization: Basic`), as values or `env:`/`file:` references. */
export class ProxyAuthConfig {
  @IsOptional() @IsString() @SecretRef()
  username?: string;

  @IsOptional() @IsString() @SecretRef()
  password?: string;
}
