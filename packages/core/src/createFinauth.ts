import 'reflect-metadata';
import { setMaxListeners } from 'node:events';
import { Container, type ContainerModule } from 'inversify';
import { MemoryTokenCache } from './cache/MemoryTokenCache.js';
import type { TokenCache } from './cache/TokenCache.js';
import { ParsedMaterial } from './config/ParsedMaterial.js';
import { DEFAULTS, FinauthScalarOptions, OBJECT_OPTION_KEYS, SCALAR_OPTION_KEYS, type FinauthOptions } from './config/FinauthOptions.js';
import { resolveSecretRefs } from './config/SecretRef.js';
import { defaultSecretResolver, type SecretResolver } from './config/SecretResolver.js';
import { unknownFieldMessage } from './config/didYouMean.js';
import { describeType, isPlainObject, validateConfig } from './config/validateConfig.js';
import { CLOCK, LOGGER, SECRET_RESOLVER, STRATEGY_FACTORY, TELEMETRY, TOKEN_CACHE, TRANSPORT_FACTORY } from './di/identifiers.js';
import { ConfigError, type ConfigIssue } from './errors/index.js';
import { Finauth } from './Finauth.js';
import { buildProvider, discard, type BuildContext, type BuiltProvider } from './providers/buildProvider.js';
import { ProviderManager } from './providers/ProviderManager.js';
import { ProviderRegistry } from './providers/ProviderRegistry.js';
import type { ProviderServices } from './providers/ProviderServices.js';
import { httpsTransportFactory } from './http/HttpsTransport.js';
import type { ProxyEndpoint } from './http/proxy/ProxyEndpoint.js';
import { resolveProxy } from './http/proxy/resolveProxy.js';
import { silentLogger } from './observability/Logger.js';
import { noopTelemetry } from './observability/Telemetry.js';
import type { StrategyFactory } from './strategy/Strategy.js';
import { strategyModuleIssues } from './strategy/strategyModules.js';
import { systemClock } from './time/Clock.js';


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
  if (!Array.isArray(options.providers)) throw failed(services.cache, issues);

  const closing = new AbortController();
  // Every request in flight listens for close(): hundreds at once are normal, not a leak.
  setMaxListeners(0, closing.signal);
  const registry = new ProviderRegistry();
  const built: BuiltProvider[] = [];
  const baseDir = scalars.baseDir ?? process.cwd();
  const proxy = topLevelProxy(scalars, services.secretResolver, baseDir, issues);
  const context: BuildContext = {
    factories,
    services,
    options: scalars,
    baseDir,
    closing: closing.signal,
    material: new ParsedMaterial(),
    container,
    ...(proxy ? { proxy } : {}),
  };
  const isolate = scalars.invalidProviders === 'isolate';
  options.providers.forEach((raw, index) => {
    const path = `providers[${index}]`;
    const result = buildProvider(raw, path, context);
    if (!result.ok) {
      const id = (raw as { id?: unknown } | null)?.id;
      // isolate: the provider is reported (getToken, health) instead of stopping the others.
      if (isolate && !registry.has(typeof id === 'string' ? id : path)) {
        const key = typeof id === 'string' ? id : path;
        registry.setInvalid(key, { error: new ConfigError(result.issues, { providerId: key }), raw, files: result.files ?? [] });
        services.logger.error('a provider config is invalid; it is isolated and the others start', { providerId: key, issues: result.issues.map((i) => i.path).join(', ') });
      } else {
        issues.push(...result.issues);
      }
      return;
    }
    built.push(result.provider);
    if (registry.has(result.provider.info.id)) {
      issues.push({ path: `${path}.id`, message: `duplicate provider id "${result.provider.info.id}"` });
      return;
    }
    registry.set(result.provider);
  });
  if (issues.length > 0) {
    for (const provider of built) discard(provider);
    throw failed(services.cache, issues);
  }
  // The parsed PEMs of this call are not kept: no key material outlives creation.
  const { material: _material, ...later } = context;
  const watch = scalars.watch ? { debounceMs: scalars.watchDebounceMs ?? DEFAULTS.watchDebounceMs } : undefined;
  return new Finauth(container, new ProviderManager(registry, later, watch), services.cache, closing);
}

/**
 * The ConfigError of a failed createFinauth, after closing the cache it was given: the caller gets
 * no instance to close, so a cache passed inline (`cache: redisCache(...)`, with sockets and timers)
 * or one the container built would otherwise keep the process alive. The cache is the instance's,
 * as after a successful call, where close() closes it too.
 */
function failed(cache: TokenCache, issues: ConfigIssue[]): ConfigError {
  try {
    const closing = typeof cache.close === 'function' ? cache.close() : undefined;
    if (closing instanceof Promise) closing.catch(() => undefined);
  } catch {
    // A cache that cannot close must not hide the configuration problem.
  }
  return new ConfigError(issues);
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

function checkOptions(options: Record<string, unknown>, issues: ConfigIssue[]): FinauthScalarOptions {
  const known = new Set<string>([...SCALAR_OPTION_KEYS, ...OBJECT_OPTION_KEYS]);
  for (const key of Object.keys(options)) if (!known.has(key)) issues.push({ path: key, message: unknownFieldMessage(key, known) });
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
function wire(container: Container, options: FinauthOptions, issues: ConfigIssue[]): ProviderServices {
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
  return out as unknown as ProviderServices;
}

/** Loads the strategy modules and indexes their factories by kind; two claiming one kind is an error. */
function loadStrategies(container: Container, options: FinauthOptions, issues: ConfigIssue[]): Map<string, StrategyFactory> {
  const modules = options.strategies ?? [];
  if (!Array.isArray(modules)) {
    issues.push({ path: 'strategies', message: 'must be an array of ContainerModules, e.g. [fapi2(), clientSecretBasic()]' });
    return new Map();
  }
  const moduleIssues = strategyModuleIssues(modules);
  if (moduleIssues.length > 0) {
    issues.push(...moduleIssues);
    return new Map();
  }
  try {
    container.load(...(modules as ContainerModule[]));
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

