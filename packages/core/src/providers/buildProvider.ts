import { providerIdentity } from '../cache/cacheKey.js';
import { MemoryTokenCache } from '../cache/MemoryTokenCache.js';
import { checkTlsMaterial } from '../config/checkTlsMaterial.js';
import { DEFAULTS, type FinauthScalarOptions } from '../config/FinauthOptions.js';
import type { ParsedMaterial } from '../config/ParsedMaterial.js';
import { DEFAULT_TIMEOUT_MS, type ProviderConfig } from '../config/ProviderConfig.js';
import { DEFAULT_RETRY } from '../config/RetryConfig.js';
import { resolveSecretRefs } from '../config/SecretRef.js';
import { describeType, isPlainObject, validateConfig } from '../config/validateConfig.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { ProxyEndpoint } from '../http/proxy/ProxyEndpoint.js';
import { resolveProxy } from '../http/proxy/resolveProxy.js';
import type { Strategy, StrategyFactory } from '../strategy/Strategy.js';
import { TokenPipeline } from '../token/TokenPipeline.js';
import type { ProviderInfo } from './ProviderInfo.js';
import type { ProviderServices } from './ProviderServices.js';

/** What building a provider needs from its instance: the same for creation and for later changes. */
export interface BuildContext {
  readonly factories: ReadonlyMap<string, StrategyFactory>;
  readonly services: ProviderServices;
  readonly options: FinauthScalarOptions;
  /** Folder `file:` references are relative to. */
  readonly baseDir: string;
  /** Aborted by `close()`: stops retries and requests in flight. */
  readonly closing: AbortSignal;
  /** Parses each distinct PEM once for the whole build (creation builds many providers at once). */
  readonly material: ParsedMaterial;
  /** The top-level egress proxy, for providers without their own `proxy`. */
  readonly proxy?: ProxyEndpoint;
}

/** One provider, ready: its pipeline (strategy + transport) and what tools may know of it. */
export interface BuiltProvider {
  readonly info: ProviderInfo;
  readonly pipeline: TokenPipeline;
}

export type BuildResult = { readonly ok: true; readonly provider: BuiltProvider } | { readonly ok: false; readonly issues: ConfigIssue[] };

/**
 * Builds one provider from its raw config: validate against the strategy's config class, resolve
 * `env:`/`file:` references, check the TLS material, create the transport, the strategy and the
 * pipeline. Every problem is an issue whose path starts with `path`; nothing is left open when the
 * build fails (the transport is closed).
 */
export function buildProvider(raw: unknown, path: string, ctx: BuildContext): BuildResult {
  const { services: svc } = ctx;
  if (!isPlainObject(raw)) return fail({ path, message: `must be an object, got ${describeType(raw)}` });
  const kind = raw['strategy'];
  const factory = typeof kind === 'string' ? ctx.factories.get(kind) : undefined;
  if (!factory) {
    const known = [...ctx.factories.keys()].join(', ') || '(none registered: pass strategies: [...])';
    return fail({ path: `${path}.strategy`, message: typeof kind === 'string' ? `unknown strategy "${kind.slice(0, 64)}"; registered: ${known}` : `is required; registered: ${known}` });
  }
  const validated = validateConfig(factory.configClass, raw, path);
  if (!validated.ok) return { ok: false, issues: validated.issues };
  const config: ProviderConfig = validated.value;
  const refIssues = resolveSecretRefs(config, svc.secretResolver, ctx.baseDir);
  if (refIssues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, refIssues) };
  const policy = factory.tlsPolicy?.(config) ?? {};
  const tlsCheck = checkTlsMaterial(config.tls, policy, svc.clock.now(), factory.kind, ctx.material);
  for (const warning of tlsCheck.warnings) svc.logger.warn(warning, { providerId: config.id });
  if (tlsCheck.issues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, tlsCheck.issues) };
  let proxy = ctx.proxy;
  if (config.proxy !== undefined || config.proxyAuth !== undefined) {
    // The provider's own proxy wins; its proxyAuth alone applies to the top-level proxy.
    const own = resolveProxy({ proxy: config.proxy ?? ctx.options.proxy, proxyAuth: config.proxyAuth ?? (config.proxy === undefined ? ctx.options.proxyAuth : undefined) });
    if (own.issues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, own.issues) };
    proxy = own.proxy;
  }
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = svc.transportFactory.create({
    providerId: config.id,
    tls: { ...config.tls },
    policy,
    timeoutMs,
    maxResponseBytes: ctx.options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    proxy,
  });
  let strategy: Strategy;
  try {
    strategy = factory.create(config, { providerId: config.id, clock: svc.clock, logger: svc.logger, telemetry: svc.telemetry, transport, material: ctx.material });
  } catch (error) {
    transport.close();
    if (ConfigError.is(error)) return { ok: false, issues: ConfigError.prefixed(path, error.issues) };
    throw error;
  }
  const identity = providerIdentity([config.id, factory.kind, strategy.authMethod, ...strategy.identity, tlsCheck.certificateFingerprint ?? '']);
  const pipeline = new TokenPipeline(
    {
      providerId: config.id,
      strategyKind: factory.kind,
      identity,
      defaultScope: config.scope,
      retry: { ...DEFAULT_RETRY, ...stripUndefined({ ...config.retry }) },
      refresh: {
        refreshSkewMs: (ctx.options.refreshSkewSeconds ?? DEFAULTS.refreshSkewSeconds) * 1000,
        defaultLifetimeMs: (ctx.options.defaultLifetimeSeconds ?? DEFAULTS.defaultLifetimeSeconds) * 1000,
      },
    },
    strategy,
    transport,
    // Tokens bound to a key only this process has (a generated DPoP key) never go to a shared cache.
    { cache: strategy.processLocalTokens ? new MemoryTokenCache() : svc.cache, clock: svc.clock, logger: svc.logger, telemetry: svc.telemetry, closing: ctx.closing },
  );
  return { ok: true, provider: { pipeline, info: { id: config.id, strategy: factory.kind, authMethod: strategy.authMethod, scope: config.scope, ...(config.resourceOrigins ? { resourceOrigins: config.resourceOrigins.map((o) => new URL(o).origin) } : {}) } } };
}

function fail(issue: ConfigIssue): BuildResult {
  return { ok: false, issues: [issue] };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Closes what a build created, for a build that is thrown away (creation failed elsewhere). */
export function discard(provider: BuiltProvider): void {
  void provider.pipeline.close().catch(() => undefined);
}
