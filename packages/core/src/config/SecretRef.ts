import 'reflect-metadata';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { SecretResolver } from './SecretResolver.js';

const SECRET_FIELDS = Symbol.for('@finauth/core/secretFields');

/**
 * Marks a config field whose value may be written as a reference (`env:NAME`, `file:path`)
 * instead of the value itself. References are resolved once, when finauth is created.
 */
export function SecretRef(): PropertyDecorator {
  return (target, property) => {
    const own: string[] = Reflect.getOwnMetadata(SECRET_FIELDS, target) ?? [...(Reflect.getMetadata(SECRET_FIELDS, target) ?? [])];
    own.push(String(property));
    Reflect.defineMetadata(SECRET_FIELDS, own, target);
  };
}

function secretFieldsOf(instance: object): readonly string[] {
  return (Reflect.getMetadata(SECRET_FIELDS, instance) as string[] | undefined) ?? [];
}

/**
 * Replaces, in place, every reference in a validated config instance (and its nested config
 * objects) with the value it names. Returns the problems, each naming the field, not the value.
 */
export function resolveSecretRefs(instance: object, resolver: SecretResolver, baseDir: string, path = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const record = instance as Record<string, unknown>;
  const marked = new Set(secretFieldsOf(instance));
  for (const [key, value] of Object.entries(record)) {
    const here = path ? `${path}.${key}` : key;
    if (typeof value === 'string' && marked.has(key) && resolver.isReference(value)) {
      try {
        record[key] = resolver.resolve(value, { baseDir });
      } catch (e) {
        issues.push({ path: here, message: e instanceof Error ? e.message : 'cannot resolve reference' });
      }
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && secretFieldsOf(value).length + Object.keys(value).length > 0) {
      if (Object.getPrototypeOf(value) !== Object.prototype) issues.push(...resolveSecretRefs(value, resolver, baseDir, here));
    }
  }
  return issues;
}

/** Throws a ConfigError when `issues` is not empty. */
export function throwIfIssues(issues: readonly ConfigIssue[], providerId?: string): void {
  if (issues.length > 0) throw new ConfigError(issues, { providerId });
}
