import type { Container, ContainerModule } from 'inversify';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import type { TokenCache } from '../cache/TokenCache.js';
import type { TransportFactory } from '../http/Transport.js';
import type { Logger } from '../observability/Logger.js';
import type { Telemetry } from '../observability/Telemetry.js';
import type { Clock } from '../time/Clock.js';
import { ProxyAuthConfig } from './ProxyAuthConfig.js';
import { MaterialRef } from './SecretRef.js';
import type { ProviderInput } from './ProviderInput.js';
import type { SecretResolver } from './SecretResolver.js';

/** What `createFinauth` takes. Also the shape of a JSON config file, less the objects. */
export interface FinauthOptions {
  /** ContainerModules from strategy packages: `[fapi2(), clientSecretBasic()]`. */
  readonly strategies?: readonly ContainerModule[];
  /**
   * Provider configs: validated at run time by the config class of the strategy each one names.
   * Typed by the strategy packages imported (ProviderConfigMap): a misspelt field fails to compile.
   */
  readonly providers: readonly ProviderInput[];
  readonly cache?: TokenCache;
  readonly logger?: Logger;
  readonly telemetry?: Telemetry;
  readonly clock?: Clock;
  readonly transportFactory?: TransportFactory;
  readonly secretResolver?: SecretResolver;
  /** Bring your own container (advanced wiring); finauth binds only what is not bound yet. */
  readonly container?: Container;
  /** Refresh a token this long before it expires at most (default 60). */
  readonly refreshSkewSeconds?: number;
  /** Lifetime assumed when a token response has no `expires_in` (default 300). */
  readonly defaultLifetimeSeconds?: number;
  /** Largest token or discovery response accepted (default 1 MiB). */
  readonly maxResponseBytes?: number;
  /** Folder `file:` references are relative to (the config file's folder; default the working directory). */
  readonly baseDir?: string;
  /** Egress proxy of every provider without its own: `http://host:port`, `env`, or `direct` (docs/security.md). */
  readonly proxy?: string;
  /** Credentials for that proxy, when not in its URL. */
  readonly proxyAuth?: { readonly username?: string; readonly password?: string };
  /**
   * `throw` (default): an invalid provider makes createFinauth throw. `isolate`: the others start;
   * `getToken` for the invalid one rejects with its ConfigError and `health()` reports it.
   */
  readonly invalidProviders?: 'throw' | 'isolate';
  /** Refresh each token at its refresh point without waiting for a caller (default false). */
  readonly keepWarm?: boolean;
  /** Reload when a file a provider references changes (default false). */
  readonly watch?: boolean;
  /** Quiet time after the last file change before `watch` reloads (default 250). */
  readonly watchDebounceMs?: number;
}

/** The scalar options, validated with class-validator like every other config. */
export class FinauthScalarOptions {
  @IsOptional() @IsInt() @Min(0) @Max(3600)
  refreshSkewSeconds?: number;

  @IsOptional() @IsInt() @Min(1) @Max(86_400)
  defaultLifetimeSeconds?: number;

  @IsOptional() @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  maxResponseBytes?: number;

  @IsOptional() @IsString()
  baseDir?: string;

  @IsOptional() @IsString() @IsNotEmpty() @MaterialRef()
  proxy?: string;

  @IsOptional() @IsObject({ message: '$property must be an object' }) @ValidateNested() @Type(() => ProxyAuthConfig)
  proxyAuth?: ProxyAuthConfig;

  @IsOptional() @IsIn(['throw', 'isolate'])
  invalidProviders?: 'throw' | 'isolate';

  @IsOptional() @IsBoolean()
  keepWarm?: boolean;

  @IsOptional() @IsBoolean()
  watch?: boolean;

  @IsOptional() @IsInt() @Min(10) @Max(60_000)
  watchDebounceMs?: number;
}

export const SCALAR_OPTION_KEYS = ['refreshSkewSeconds', 'defaultLifetimeSeconds', 'maxResponseBytes', 'baseDir', 'proxy', 'proxyAuth', 'invalidProviders', 'keepWarm', 'watch', 'watchDebounceMs'] as const;
export const OBJECT_OPTION_KEYS = ['strategies', 'providers', 'cache', 'logger', 'telemetry', 'clock', 'transportFactory', 'secretResolver', 'container'] as const;

export const DEFAULTS = Object.freeze({ refreshSkewSeconds: 60, defaultLifetimeSeconds: 300, maxResponseBytes: 1024 * 1024, watchDebounceMs: 250 });
