import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CircuitConfig } from './CircuitConfig.js';
import { ProxyAuthConfig } from './ProxyAuthConfig.js';
import { HttpsOrigins } from './HttpsOrigins.js';
import { RetryConfig } from './RetryConfig.js';
import { MaterialRef } from './SecretRef.js';
import { TlsConfig } from './TlsConfig.js';

/**
 * The fields every provider shares. A strategy's config class extends it with its own fields,
 * validated by the same mechanism (class-validator decorators).
 */
export class ProviderConfig {
  /** The name callers use: `getToken('paynet')`. */
  @IsString() @IsNotEmpty() @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { message: 'id must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  id!: string;

  /** The strategy kind, e.g. `fapi2` or `client_secret_basic`. */
  @IsString() @IsNotEmpty()
  strategy!: string;

  /** Default scope, space-separated (RFC 6749 §3.3). */
  @IsOptional() @IsString() @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, { message: 'scope must be space-separated RFC 6749 §3.3 scope tokens' })
  scope?: string;

  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => TlsConfig)
  tls?: TlsConfig;

  /** One HTTP attempt, connect to last byte. */
  @IsOptional() @IsInt() @Min(100) @Max(300_000)
  timeoutMs?: number;

  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => RetryConfig)
  retry?: RetryConfig;

  /** The circuit breaker at the token endpoint (defaults: DEFAULT_CIRCUIT). */
  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => CircuitConfig)
  circuit?: CircuitConfig;

  /**
   * Egress proxy for every connection of this provider (token, discovery, `http()`), overriding the
   * top-level one: `http://host:port` (tunnelled with CONNECT), `env` (HTTPS_PROXY / NO_PROXY),
   * or `direct`. May be an `env:`/`file:` reference, since its user info may hold a password.
   * The URL is named in messages (without user info); its password is masked like a secret.
   */
  @IsOptional() @IsString() @IsNotEmpty() @MaterialRef()
  proxy?: string;

  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => ProxyAuthConfig)
  proxyAuth?: ProxyAuthConfig;

  /**
   * The https origins `http(id)` may send this provider's token to (`["https://api.bank.example"]`).
   * Left out, any https origin may receive it; `finauth doctor` warns about that for tokens that
   * are plain bearer tokens (not bound to a client certificate).
   */
  @IsOptional() @HttpsOrigins()
  resourceOrigins?: string[];
}

export type ProviderConfigClass<C extends ProviderConfig = ProviderConfig> = new () => C;

export const DEFAULT_TIMEOUT_MS = 10_000;
