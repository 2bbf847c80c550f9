import { defaultSecretResolver } from '@finauth/core';
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
