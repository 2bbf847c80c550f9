import 'reflect-metadata';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { SecretResolver } from './SecretResolver.js';

const SECRET_FIELDS = Symbol.for('@finauth/core/secretFields');
const MATERIAL_FIELDS = Symbol.for('@finauth/core/materialFields');

function marker(key: symbol): PropertyDecorator {
  return (target, property) => {
    const own: string[] = Reflect.getOwnMetadata(key, target) ?? [...(Reflect.getMetadata(key, target) ?? [])];
    own.push(String(property));
    Reflect.defineMetadata(key, own, target);
  };
}

/**
 * Marks a secret config field (a client secret, a private key, a passphrase): its value may be
 * written as a reference (`env:NAME`, `file:path`) instead of the value itself, references are
 * resolved once when finauth is created, and the value is masked in every error message.
 */
export function SecretRef(): PropertyDecorator {
  return marker(SECRET_FIELDS);
}

/**
 * Marks a field holding public material (a certificate, a CA bundle, a JWKS): it may be written as
 * a reference like a secret (`file:certs/client.pem`) and is resolved the same way, but it is not a
 * secret, so it is not masked in messages.
 */
export function MaterialRef(): PropertyDecorator {
  return marker(MATERIAL_FIELDS);
}

function fieldsOf(key: symbol, instance: object): readonly string[] {
  return (Reflect.getMetadata(key, instance) as string[] | undefined) ?? [];
}

/**
 * The nested config objects (class instances made by validation) of a config instance. Objects
 * given as they are (a `signer` with its own state) may be cyclic: each object is visited once.
 */
function nestedConfigs(instance: object, seen: WeakSet<object>): Array<[string, object]> {
  seen.add(instance);
  return Object.entries(instance as Record<string, unknown>).filter(
    (entry): entry is [string, object] =>
      entry[1] !== null && typeof entry[1] === 'object' && !Array.isArray(entry[1]) && Object.getPrototypeOf(entry[1]) !== Object.prototype && !seen.has(entry[1]),
  );
}

/**
 * Replaces, in place, every reference in a validated config instance (and its nested config
 * objects) with the value it names. Returns the problems, each naming the field, not the value.
 */
export function resolveSecretRefs(instance: object, resolver: SecretResolver, baseDir: string, path = '', seen = new WeakSet<object>()): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const record = instance as Record<string, unknown>;
  const marked = new Set([...fieldsOf(SECRET_FIELDS, instance), ...fieldsOf(MATERIAL_FIELDS, instance)]);
  for (const [key, value] of Object.entries(record)) {
    const here = path ? `${path}.${key}` : key;
    if (typeof value === 'string' && marked.has(key) && resolver.isReference(value)) {
      try {
        record[key] = resolver.resolve(value, { baseDir });
      } catch (e) {
        issues.push({ path: here, message: e instanceof Error ? e.message : 'cannot resolve reference' });
      }
    }
  }
  for (const [key, nested] of nestedConfigs(instance, seen)) issues.push(...resolveSecretRefs(nested, resolver, baseDir, path ? `${path}.${key}` : key, seen));
  return issues;
}

/** The string values of every @SecretRef field of a config instance and its nested config objects. */
export function declaredSecretValues(instance: object, seen = new WeakSet<object>()): string[] {
  const record = instance as Record<string, unknown>;
  const values = fieldsOf(SECRET_FIELDS, instance).map((k) => record[k]).filter((v): v is string => typeof v === 'string' && v !== '');
  for (const [, nested] of nestedConfigs(instance, seen)) values.push(...declaredSecretValues(nested, seen));
  return values;
}

/** Throws a ConfigError when `issues` is not empty. */
export function throwIfIssues(issues: readonly ConfigIssue[], providerId?: string): void {
  if (issues.length > 0) throw new ConfigError(issues, { providerId });
}
