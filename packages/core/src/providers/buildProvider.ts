import type { Container } from 'inversify';
import { providerIdentity } from '../cache/cacheKey.js';
import { MemoryTokenCache } from '../cache/MemoryTokenCache.js';
import { checkTlsMaterial } from '../config/checkTlsMaterial.js';
import { DEFAULTS, type FinauthScalarOptions } from '../config/FinauthOptions.js';
import type { ParsedMaterial } from '../config/ParsedMaterial.js';
import { DEFAULT_TIMEOUT_MS, type ProviderConfig } from '../config/ProviderConfig.js';
import { DEFAULT_CIRCUIT } from '../config/CircuitConfig.js';
import { DEFAULT_RETRY } from '../config/RetryConfig.js';
import { resolveSecretRefs, resolveSecretRefsCollecting } from '../config/SecretRef.js';
import { describeType, isPlainObject, validateConfig } from '../config/validateConfig.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { ProxyEndpoint } from '../http/proxy/ProxyEndpoint.js';
import { resolveProxy } from '../http/proxy/resolveProxy.js';
import type { Strategy, StrategyFactory } from '../strategy/Strategy.js';
import { hash } from 'node:crypto';
import { TokenPipeline } from '../token/TokenPipeline.js';
import { recordingResolver } from './recordingResolver.js';
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
  /** The instance's container: strategies find the extensions they offer a point for in it. */
  readonly container?: Container | undefined;
  /** The top-level egress proxy, for providers without their own `proxy`. */
  readonly proxy?: ProxyEndpoint;
}

/**
 * Where a provider came from: its config as given (references unresolved), a digest of what its
 * references resolved to (a changed file or variable changes it), and the files it reads.
 */
export interface ProviderSource {
  readonly raw: unknown;
  /**
   * Compared only between two resolutions of the same `raw` (reload()): the config as given is the
   * same, so only what the references read can differ. Hashing the whole resolved config instead
   * re-serialised every inline PEM of every provider at creation (docs/performance.md, scale).
   */
  readonly digest: string;
  /** Absolute paths of the `file:` references, for `watch`. */
  readonly files: readonly string[];
}

/** One provider, ready: its pipeline (strategy + transport) and what tools may know of it. */
export interface BuiltProvider {
  readonly info: ProviderInfo;
  readonly pipeline: TokenPipeline;
  readonly source: ProviderSource;
}

/** A validated config with its references resolved: enough to tell whether anything changed. */
export interface ResolvedProvider {
  readonly factory: StrategyFactory;
  readonly config: ProviderConfig;
  readonly source: ProviderSource;
  /** The values of its @SecretRef fields once resolved, collected while resolving. */
  readonly declaredSecrets: readonly string[];
}

/** The digest of a provider without references: its config as given is all there is. */
const NOTHING_READ = 'no references';

export type ResolveResult = { readonly ok: true; readonly resolved: ResolvedProvider } | { readonly ok: false; readonly issues: ConfigIssue[]; readonly files: readonly string[] };
export type BuildResult = { readonly ok: true; readonly provider: BuiltProvider } | { readonly ok: false; readonly issues: ConfigIssue[]; readonly files?: readonly string[] };

/**
 * Builds one provider from its raw config: validate against the strategy's config class, resolve
 * `env:`/`file:` references, check the TLS material, create the transport, the strategy and the
 * pipeline. Every problem is an issue whose path starts with `path`; nothing is left open when the
 * build fails (the transport is closed).
 */
export function buildProvider(raw: unknown, path: string, ctx: BuildContext): BuildResult {
  const resolved = resolveProvider(raw, path, ctx);
  return resolved.ok ? assembleProvider(resolved.resolved, path, ctx) : resolved;
}

/** The first half of a build: validate and resolve references. Cheap enough for every `reload()`. */
export function resolveProvider(raw: unknown, path: string, ctx: BuildContext): ResolveResult {
  if (!isPlainObject(raw)) return fail({ path, message: `must be an object, got ${describeType(raw)}` });
  const kind = raw['strategy'];
  const factory = typeof kind === 'string' ? ctx.factories.get(kind) : undefined;
  if (!factory) {
    const known = [...ctx.factories.keys()].join(', ') || '(none registered: pass strategies: [...])';
    return fail({ path: `${path}.strategy`, message: typeof kind === 'string' ? `unknown strategy "${kind.slice(0, 64)}"; registered: ${known}` : `is required; registered: ${known}` });
  }
  const validated = validateConfig(factory.configClass, raw, path);
  if (!validated.ok) return { ok: false, issues: validated.issues, files: [] };
  const config: ProviderConfig = validated.value;
  const files: string[] = [];
  const read: string[] = [];
  const declaredSecrets: string[] = [];
  const refIssues = resolveSecretRefsCollecting(config, recordingResolver(ctx.services.secretResolver, files, read), ctx.baseDir, declaredSecrets);
  if (refIssues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, refIssues), files };
  // What the references read holds secrets, so only a one-way hash of it is kept; nothing read, nothing to hash.
  const digest = read.length === 0 ? NOTHING_READ : hash('sha256', JSON.stringify(read), 'base64url');
  return { ok: true, resolved: { factory, config, source: { raw: snapshot(raw), digest, files }, declaredSecrets } };
}

/** The second half: check TLS material, create transport, strategy and pipeline. */
export function assembleProvider(resolved: ResolvedProvider, path: string, ctx: BuildContext): BuildResult {
  const { services: svc } = ctx;
  const { factory, config, source, declaredSecrets } = resolved;
  const policy = factory.tlsPolicy?.(config) ?? {};
  const tlsCheck = checkTlsMaterial(config.tls, policy, svc.clock.now(), factory.kind, ctx.material);
  for (const warning of tlsCheck.warnings) svc.logger.warn(warning, { providerId: config.id });
  if (tlsCheck.issues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, tlsCheck.issues), files: source.files };
  let proxy = ctx.proxy;
  if (config.proxy !== undefined || config.proxyAuth !== undefined) {
    // The provider's own proxy wins; its proxyAuth alone applies to the top-level proxy.
    const own = resolveProxy({ proxy: config.proxy ?? ctx.options.proxy, proxyAuth: config.proxyAuth ?? (config.proxy === undefined ? ctx.options.proxyAuth : undefined) });
    if (own.issues.length > 0) return { ok: false, issues: ConfigError.prefixed(path, own.issues), files: source.files };
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
    strategy = factory.create(config, {
      providerId: config.id,
      clock: svc.clock,
      logger: svc.logger,
      telemetry: svc.telemetry,
      transport,
      material: ctx.material,
      container: ctx.container,
      resolveReferences: (nested: object) => resolveSecretRefs(nested, svc.secretResolver, ctx.baseDir),
    });
  } catch (error) {
    transport.close();
    if (ConfigError.is(error)) return { ok: false, issues: ConfigError.prefixed(path, error.issues), files: source.files };
    throw error;
  }
  const identity = providerIdentity([config.id, factory.kind, strategy.authMethod, ...strategy.identity, tlsCheck.certificateFingerprint ?? '']);
  const pipeline = new TokenPipeline(
    {
      providerId: config.id,
      strategyKind: factory.kind,
      identity,
      defaultScope: config.scope,
      declaredSecrets: proxy ? [...declaredSecrets, ...proxy.secretValues()] : declaredSecrets,
      // The frozen defaults are shared when nothing overrides them: one object less per provider.
      retry: config.retry ? { ...DEFAULT_RETRY, ...stripUndefined({ ...config.retry }) } : DEFAULT_RETRY,
      refresh: {
        refreshSkewMs: (ctx.options.refreshSkewSeconds ?? DEFAULTS.refreshSkewSeconds) * 1000,
        defaultLifetimeMs: (ctx.options.defaultLifetimeSeconds ?? DEFAULTS.defaultLifetimeSeconds) * 1000,
      },
      circuit: config.circuit ? { ...DEFAULT_CIRCUIT, ...stripUndefined({ ...config.circuit }) } : DEFAULT_CIRCUIT,
      keepWarm: ctx.options.keepWarm === true,
    },
    strategy,
    transport,
    // Tokens bound to a key only this process has (a generated DPoP key) never go to a shared cache.
    { cache: strategy.processLocalTokens ? new MemoryTokenCache() : svc.cache, clock: svc.clock, logger: svc.logger, telemetry: svc.telemetry, closing: ctx.closing },
  );
  return { ok: true, provider: { pipeline, source, info: { id: config.id, strategy: factory.kind, authMethod: strategy.authMethod, scope: config.scope, ...(config.resourceOrigins ? { resourceOrigins: config.resourceOrigins.map((o) => new URL(o).origin) } : {}) } } };
}

function fail(issue: ConfigIssue): { ok: false; issues: ConfigIssue[]; files: string[] } {
  return { ok: false, issues: [issue], files: [] };
}

/**
 * A copy of the containers (objects, arrays), so a caller mutating its config object later changes
 * nothing until setProvider. Strings are shared, not copied: a thousand providers carrying the same
 * PEMs must not hold a thousand copies of them (structuredClone would).
 */
function snapshot(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(snapshot);
  if (!isPlainObject(raw)) return raw;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    // An own "__proto__" key stays a key (as Object.fromEntries would keep it), never a prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: snapshot(raw[key]), enumerable: true, writable: true, configurable: true });
    else copy[key] = snapshot(raw[key]);
  }
  return copy;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Closes what a build created, for a build that is thrown away (creation failed elsewhere). */
export function discard(provider: BuiltProvider): void {
  void provider.pipeline.close().catch(() => undefined);
}
