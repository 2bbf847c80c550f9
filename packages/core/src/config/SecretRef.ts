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

interface MarkedFields {
  readonly secret: readonly string[];
  /** Secret and material fields: the ones whose value may be a reference. */
  readonly referable: ReadonlySet<string>;
}

const NONE: MarkedFields = { secret: [], referable: new Set() };
/**
 * The marked fields of each config class, read once per prototype: the decorators ran when the
 * class was defined, and reflect-metadata's lookup (a prototype walk through its maps) per object
 * showed in creating a thousand providers (docs/performance.md, scale).
 */
const markedByPrototype = new WeakMap<object, MarkedFields>();

function markedFields(instance: object): MarkedFields {
  const prototype = Object.getPrototypeOf(instance) as object | null;
  if (prototype === null) return NONE;
  let marked = markedByPrototype.get(prototype);
  if (marked === undefined) {
    const secret = (Reflect.getMetadata(SECRET_FIELDS, prototype) as string[] | undefined) ?? [];
    const material = (Reflect.getMetadata(MATERIAL_FIELDS, prototype) as string[] | undefined) ?? [];
    marked = { secret: [...secret], referable: new Set([...secret, ...material]) };
    markedByPrototype.set(prototype, marked);
  }
  return marked;
}

/** A class instance not visited yet: plain objects and arrays are values, not nested configs. */
function isNestedConfig(value: unknown, seen: WeakSet<object>): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && !seen.has(value);
}

/**
 * Replaces, in place, every reference in a validated config instance (and its nested config
 * objects) with the value it names. Returns the problems, each naming the field, not the value.
 */
export function resolveSecretRefs(instance: object, resolver: SecretResolver, baseDir: string, path = '', seen = new WeakSet<object>()): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  resolveInto(instance, resolver, baseDir, path, seen, issues, undefined);
  return issues;
}

/**
 * resolveSecretRefs, also collecting the resolved values of every @SecretRef field (nested configs
 * included, in walk order) in the same walk: creating a provider needs both.
 */
export function resolveSecretRefsCollecting(instance: object, resolver: SecretResolver, baseDir: string, secrets: string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  resolveInto(instance, resolver, baseDir, '', new WeakSet<object>(), issues, secrets);
  return issues;
}

function resolveInto(instance: object, resolver: SecretResolver, baseDir: string, path: string, seen: WeakSet<object>, issues: ConfigIssue[], secrets: string[] | undefined): void {
  const record = instance as Record<string, unknown>;
  const { referable, secret } = markedFields(instance);
  seen.add(instance);
  // One pass over the keys: references are resolved in place, nested config objects noted and
  // walked after, so the order of issues stays this object's fields first, then its nested ones.
  let nested: Array<[string, object]> | undefined;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let value = record[key];
    if (typeof value === 'string' && referable.has(key) && resolver.isReference(value)) {
      try {
        value = record[key] = resolver.resolve(value, { baseDir });
      } catch (e) {
        issues.push({ path: path ? `${path}.${key}` : key, message: e instanceof Error ? e.message : 'cannot resolve reference' });
      }
    }
    if (isNestedConfig(value, seen)) (nested ??= []).push([key, value]);
  }
  if (secrets) pushSecrets(record, secret, secrets);
  if (nested) for (const [key, value] of nested) resolveInto(value, resolver, baseDir, path ? `${path}.${key}` : key, seen, issues, secrets);
}

function pushSecrets(record: Record<string, unknown>, fields: readonly string[], values: string[]): void {
  for (let i = 0; i < fields.length; i++) {
    const value = record[fields[i]!];
    if (typeof value === 'string' && value !== '') values.push(value);
  }
}

/** Throws a ConfigError when `issues` is not empty. */
export function throwIfIssues(issues: readonly ConfigIssue[], providerId?: string): void {
  if (issues.length > 0) throw new ConfigError(issues, { providerId });
}
