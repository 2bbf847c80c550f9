import 'reflect-metadata';
import { setMaxListeners } from 'node:events';
import { Container, ContainerModule } from 'inversify';
import { MemoryTokenCache } from './cache/MemoryTokenCache.js';
import { providerIdentity } from './cache/cacheKey.js';
import type { TokenCache } from './cache/TokenCache.js';
import { checkTlsMaterial } from './config/checkTlsMaterial.js';
import { ParsedMaterial } from './config/ParsedMaterial.js';
import { DEFAULTS, FinauthScalarOptions, OBJECT_OPTION_KEYS, SCALAR_OPTION_KEYS, type FinauthOptions } from './config/FinauthOptions.js';
import { DEFAULT_TIMEOUT_MS, type ProviderConfig } from './config/ProviderConfig.js';
import { DEFAULT_RETRY } from './config/RetryConfig.js';
import { resolveSecretRefs } from './config/SecretRef.js';
import { defaultSecretResolver, type SecretResolver } from './config/SecretResolver.js';
import { describeType, isPlainObject, validateConfig } from './config/validateConfig.js';
import { CLOCK, LOGGER, SECRET_RESOLVER, STRATEGY_FACTORY, TELEMETRY, TOKEN_CACHE, TRANSPORT_FACTORY } from './di/identifiers.js';
import { ConfigError, type ConfigIssue } from './errors/index.js';
import { Finauth, type ProviderInfo } from './Finauth.js';
import { httpsTransportFactory } from './http/HttpsTransport.js';
import type { ProxyEndpoint } from './http/proxy/ProxyEndpoint.js';
import { resolveProxy } from './http/proxy/resolveProxy.js';
import type { Transport, TransportFactory } from './http/Transport.js';
import { silentLogger, type Logger } from './observability/Logger.js';
import { noopTelemetry, type Telemetry } from './observability/Telemetry.js';
import type { StrategyFactory } from './strategy/Strategy.js';
import { systemClock, type Clock } from './time/Clock.js';
import { TokenPipeline } from './token/TokenPipeline.js';

interface Services {
  readonly cache: TokenCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  readonly transportFactory: TransportFactory;
  readonly secretResolver: SecretResolver;
}

/**
 * Builds a finauth instance. Everything is checked here, at once: an invalid option or provider is
 * a ConfigError listing every problem by path, thrown by this call rather than at first use.
 */
export function createFinauth(options: FinauthOptions): Finauth {
  const issues: ConfigIssue[] = [];
  const parsed = new ParsedMaterial();
  if (!isPlainObject(options)) throw new ConfigError([{ path: '', message: `options must be an object, got ${describeType(options)}` }]);
  const scalars = checkOptions(options as unknown as Record<string, unknown>, issues);

  const container = options.container ?? new Container();
  const services = wire(container, options, issues);
  const factories = loadStrategies(container, options, issues);
  if (!Array.isArray(options.providers)) throw new ConfigError(issues);

  const closing = new AbortController();
  // Every request in flight listens for close(): hundreds at once are normal, not a leak.
  setMaxListeners(0, closing.signal);
  const pipelines = new Map<string, TokenPipeline>();
  const infos = new Map<string, ProviderInfo>();
  const transports: Transport[] = [];
  const baseDir = scalars.baseDir ?? process.cwd();
  const topProxy = topLevelProxy(scalars, services.secretResolver, baseDir, issues);
  options.providers.forEach((raw, index) => {
    const path = `providers[${index}]`;
    try {
      const built = buildProvider(raw, path, factories, services, scalars, baseDir, closing.signal, transports);
      if (!built) return;
      if (pipelines.has(built.info.id)) {
        issues.push({ path: `${path}.id`, message: `duplicate provider id "${built.info.id}"` });
        void built.pipeline.close();
        return;
      }
      pipelines.set(built.info.id, built.pipeline);
      infos.set(built.info.id, built.info);
    } catch (error) {
      if (ConfigError.is(error)) issues.push(...ConfigError.prefixed(path, error.issues));
      else throw error;
    }
  });
  if (issues.length > 0) {
    for (const t of transports) t.close();
    throw new ConfigError(issues);
  }
  return new Finauth(container, pipelines, infos, services.cache, closing);

  function buildProvider(
    raw: unknown,
    path: string,
    strategies: ReadonlyMap<string, StrategyFactory>,
    svc: Services,
    opts: FinauthScalarOptions,
    dir: string,
    signal: AbortSignal,
    created: Transport[],
  ): { pipeline: TokenPipeline; info: ProviderInfo } | undefined {
    if (!isPlainObject(raw)) {
      issues.push({ path, message: `must be an object, got ${describeType(raw)}` });
      return undefined;
    }
    const kind = raw['strategy'];
    const factory = typeof kind === 'string' ? strategies.get(kind) : undefined;
    if (!factory) {
      const known = [...strategies.keys()].join(', ') || '(none registered: pass strategies: [...])';
      issues.push({ path: `${path}.strategy`, message: typeof kind === 'string' ? `unknown strategy "${kind.slice(0, 64)}"; registered: ${known}` : `is required; registered: ${known}` });
      return undefined;
    }
    const validated = validateConfig(factory.configClass, raw, path);
    if (!validated.ok) {
      issues.push(...validated.issues);
      return undefined;
    }
    const config: ProviderConfig = validated.value;
    const refIssues = resolveSecretRefs(config, svc.secretResolver, dir);
    if (refIssues.length > 0) {
      issues.push(...ConfigError.prefixed(path, refIssues));
      return undefined;
    }
    const policy = factory.tlsPolicy?.(config) ?? {};
    const tlsCheck = checkTlsMaterial(config.tls, policy, svc.clock.now(), factory.kind, parsed);
    for (const warning of tlsCheck.warnings) svc.logger.warn(warning, { providerId: config.id });
    if (tlsCheck.issues.length > 0) {
      issues.push(...ConfigError.prefixed(path, tlsCheck.issues));
      return undefined;
    }
    let proxy = topProxy;
    if (config.proxy !== undefined || config.proxyAuth !== undefined) {
      // The provider's own proxy wins; its proxyAuth alone applies to the top-level proxy.
      const own = resolveProxy({ proxy: config.proxy ?? opts.proxy, proxyAuth: config.proxyAuth ?? (config.proxy === undefined ? opts.proxyAuth : undefined) });
      if (own.issues.length > 0) {
        issues.push(...ConfigError.prefixed(path, own.issues));
        return undefined;
      }
      proxy = own.proxy;
    }
    const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const transport = svc.transportFactory.create({
      providerId: config.id,
      tls: { ...config.tls },
      policy,
      timeoutMs,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      proxy,
    });
    created.push(transport);
    const strategy = factory.create(config, { providerId: config.id, clock: svc.clock, logger: svc.logger, telemetry: svc.telemetry, transport, material: parsed });
    const identity = providerIdentity([config.id, factory.kind, strategy.authMethod, ...strategy.identity, tlsCheck.certificateFingerprint ?? '']);
    const pipeline = new TokenPipeline(
      {
        providerId: config.id,
        strategyKind: factory.kind,
        identity,
        defaultScope: config.scope,
        retry: { ...DEFAULT_RETRY, ...stripUndefined({ ...config.retry }) },
        refresh: {
          refreshSkewMs: (opts.refreshSkewSeconds ?? DEFAULTS.refreshSkewSeconds) * 1000,
          defaultLifetimeMs: (opts.defaultLifetimeSeconds ?? DEFAULTS.defaultLifetimeSeconds) * 1000,
        },
      },
      strategy,
      transport,
      { cache: svc.cache, clock: svc.clock, logger: svc.logger, telemetry: svc.telemetry, closing: signal },
    );
    return { pipeline, info: { id: config.id, strategy: factory.kind, authMethod: strategy.authMethod, scope: config.scope } };
  }
}

/** The top-level proxy, references resolved: every provider without its own uses it. */
function topLevelProxy(scalars: FinauthScalarOptions, resolver: SecretResolver, baseDir: string, issues: ConfigIssue[]): ProxyEndpoint | undefined {
  if (scalars.proxy === undefined && scalars.proxyAuth === undefined) return undefined;
  const refIssues = resolveSecretRefs(scalars, resolver, baseDir);
  if (refIssues.length > 0) {
    issues.push(...refIssues);
    return undefined;
  }
  const resolved = resolveProxy(scalars);
  issues.push(...resolved.issues);
  return resolved.proxy;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkOptions(options: Record<string, unknown>, issues: ConfigIssue[]): FinauthScalarOptions {
  const known = new Set<string>([...SCALAR_OPTION_KEYS, ...OBJECT_OPTION_KEYS]);
  for (const key of Object.keys(options)) if (!known.has(key)) issues.push({ path: key, message: 'unknown field' });
  if (!Array.isArray(options['providers'])) issues.push({ path: 'providers', message: `must be an array of provider configs, got ${describeType(options['providers'])}` });
  const scalarInput = Object.fromEntries(SCALAR_OPTION_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  const scalars = validateConfig(FinauthScalarOptions, scalarInput);
  if (!scalars.ok) {
    issues.push(...scalars.issues);
    return new FinauthScalarOptions();
  }
  return scalars.value;
}

const SERVICE_SHAPES: ReadonlyArray<readonly [keyof FinauthOptions, symbol, readonly string[]]> = [
  ['cache', TOKEN_CACHE, ['get', 'set', 'delete']],
  ['logger', LOGGER, ['debug', 'info', 'warn', 'error']],
  ['telemetry', TELEMETRY, ['emit']],
  ['clock', CLOCK, ['now', 'sleep']],
  ['transportFactory', TRANSPORT_FACTORY, ['create']],
  ['secretResolver', SECRET_RESOLVER, ['isReference', 'resolve']],
];

/** Binds each replaceable part: the option if given, else whatever the container has, else the default. */
function wire(container: Container, options: FinauthOptions, issues: ConfigIssue[]): Services {
  const defaults: Record<string, () => unknown> = {
    cache: () => new MemoryTokenCache(),
    logger: () => silentLogger,
    telemetry: () => noopTelemetry,
    clock: () => systemClock,
    transportFactory: () => httpsTransportFactory,
    secretResolver: () => defaultSecretResolver,
  };
  const out: Record<string, unknown> = {};
  for (const [key, id, methods] of SERVICE_SHAPES) {
    const given = options[key];
    if (given !== undefined) {
      const missing = methods.filter((m) => typeof (given as unknown as Record<string, unknown> | null)?.[m] !== 'function');
      if (missing.length > 0) issues.push({ path: key, message: `must implement ${methods.join(', ')} (missing ${missing.join(', ')})` });
      if (container.isBound(id)) container.unbind(id);
      container.bind(id).toConstantValue(given);
    } else if (!container.isBound(id)) {
      container.bind(id).toConstantValue(defaults[key]!());
    }
    out[key] = container.get(id);
  }
  return out as unknown as Services;
}

/** Loads the strategy modules and indexes their factories by kind; two claiming one kind is an error. */
function loadStrategies(container: Container, options: FinauthOptions, issues: ConfigIssue[]): Map<string, StrategyFactory> {
  const modules = options.strategies ?? [];
  if (!Array.isArray(modules)) {
    issues.push({ path: 'strategies', message: 'must be an array of ContainerModules, e.g. [fapi2(), clientSecretBasic()]' });
    return new Map();
  }
  modules.forEach((m: unknown, i) => {
    if (!(m instanceof ContainerModule)) issues.push({ path: `strategies[${i}]`, message: 'is not an inversify ContainerModule (call the strategy package function, e.g. fapi2())' });
  });
  if (issues.some((i) => i.path.startsWith('strategies'))) return new Map();
  try {
    container.load(...modules);
  } catch (error) {
    issues.push({ path: 'strategies', message: `a strategy module failed to load: ${error instanceof Error ? error.message : 'unknown error'}` });
    return new Map();
  }
  const factories = container.isBound(STRATEGY_FACTORY) ? container.getAll<StrategyFactory>(STRATEGY_FACTORY) : [];
  const byKind = new Map<string, StrategyFactory>();
  for (const factory of factories) {
    if (byKind.has(factory.kind)) issues.push({ path: 'strategies', message: `two strategies claim the kind "${factory.kind}"` });
    else byKind.set(factory.kind, factory);
  }
  return byKind;
}

