import { defaultSecretResolver, type ConfigIssue } from '@finauth/core';
import { resolveProxy, type ProxyEndpoint } from '@finauth/core/internal';
import type { ProviderUnderCheck } from './Check.js';

/** The raw value at a dotted path of the provider's config (`tls.cert`), as written in the file. */
export function rawField(provider: ProviderUnderCheck, path: string): unknown {
  let value: unknown = provider.raw;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The value a field stands for: a reference resolved the way createFinauth resolves it, a literal
 * as is. Undefined when absent or unresolvable (the references check reports why).
 */
export function resolvedField(provider: ProviderUnderCheck, path: string): string | undefined {
  let values = resolvedValues.get(provider);
  if (!values) resolvedValues.set(provider, (values = new Map()));
  if (!values.has(path)) values.set(path, resolve(provider, path));
  return values.get(path);
}

/** Several checks read the same certificate and key: each file is read once per provider. */
const resolvedValues = new WeakMap<ProviderUnderCheck, Map<string, string | undefined>>();

function resolve(provider: ProviderUnderCheck, path: string): string | undefined {
  const value = rawField(provider, path);
  if (typeof value !== 'string' || value === '') return undefined;
  if (!defaultSecretResolver.isReference(value)) return value;
  try {
    return defaultSecretResolver.resolve(value, { baseDir: provider.baseDir });
  } catch {
    return undefined;
  }
}

/** The provider's TLS material, resolved. */
export function resolvedTls(provider: ProviderUnderCheck): { cert?: string; key?: string; ca?: string; passphrase?: string } {
  const out: { cert?: string; key?: string; ca?: string; passphrase?: string } = {};
  for (const name of ['cert', 'key', 'ca', 'passphrase'] as const) {
    const value = resolvedField(provider, `tls.${name}`);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function timeoutOf(provider: ProviderUnderCheck): number {
  const t = provider.raw['timeoutMs'];
  return typeof t === 'number' && t > 0 ? t : 10_000;
}

/**
 * The egress proxy the provider's connections take, as createFinauth resolves it: the provider's own
 * `proxy` / `proxyAuth`, else the top-level ones, references resolved, `env` read from this process.
 */
export function proxyOf(provider: ProviderUnderCheck): { proxy?: ProxyEndpoint; issues: ConfigIssue[]; from: string } {
  const own = provider.raw['proxy'] !== undefined;
  const top = (name: string): string | undefined => {
    const value = name.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), provider.options);
    if (typeof value !== 'string') return undefined;
    if (!defaultSecretResolver.isReference(value)) return value;
    try {
      return defaultSecretResolver.resolve(value, { baseDir: provider.baseDir });
    } catch {
      return undefined;
    }
  };
  const field = (name: string): string | undefined => (provider.raw[name.split('.')[0]!] !== undefined ? resolvedField(provider, name) : undefined);
  const proxy = own ? resolvedField(provider, 'proxy') : top('proxy');
  const hasOwnAuth = provider.raw['proxyAuth'] !== undefined;
  const username = hasOwnAuth ? field('proxyAuth.username') : own ? undefined : top('proxyAuth.username');
  const password = hasOwnAuth ? field('proxyAuth.password') : own ? undefined : top('proxyAuth.password');
  const auth = username !== undefined || password !== undefined ? { username, password } : undefined;
  const resolved = resolveProxy({ proxy, proxyAuth: auth });
  return { ...resolved, from: own ? 'proxy' : 'top-level proxy' };
}
