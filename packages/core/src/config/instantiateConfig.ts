import { createRequire } from 'node:module';
import { plainToInstance } from 'class-transformer';

/** What the fast path reads of class-transformer's decorator metadata (`@Type`, `@Transform`, `@Expose`, `@Exclude`). */
interface TransformerMetadata {
  findTypeMetadata(target: Function, property: string): { typeFunction: (options?: unknown) => Function; options?: { discriminator?: unknown } } | undefined;
  findTransformMetadatas(target: Function, property: string, transformationType: number): Array<{ transformFn: (params: Record<string, unknown>) => unknown }>;
  getExposedMetadatas(target: Function): unknown[];
  getExcludedMetadatas(target: Function): unknown[];
}

// class-transformer's own metadata storage: the same object its decorators write to (one copy is
// installed; the package has no "exports" map, so this path is part of what it ships).
const storage = (createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TransformerMetadata }).defaultMetadataStorage;
/** TransformationType.PLAIN_TO_CLASS */
const PLAIN_TO_CLASS = 0;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Classes whose metadata the fast path cannot follow (`@Expose` / `@Exclude` change which keys exist). */
const unusual = new Map<Function, boolean>();
function isUnusual(cls: Function): boolean {
  let result = unusual.get(cls);
  if (result === undefined) unusual.set(cls, (result = storage.getExposedMetadatas(cls).length > 0 || storage.getExcludedMetadatas(cls).length > 0));
  return result;
}

/**
 * A config object as an instance of its config class, nested config objects (`@Type`) as instances
 * of theirs, `@Transform` (plain to class) applied — what class-transformer's `plainToInstance`
 * produces for config input, without its general machinery, which profiling showed to be a fifth
 * of creating a provider (docs/performance.md). Values other than nested config objects are kept as
 * given. Returns undefined for anything the fast path does not cover (arrays or non-objects where a
 * config object is declared, discriminators, `@Expose`/`@Exclude`): the caller then uses
 * `plainToInstance` itself.
 */
function fastInstance<T extends object>(cls: new () => T, input: Record<string, unknown>): T | undefined {
  if (isUnusual(cls)) return undefined;
  const out = new cls() as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    // class-transformer skips these too: never let input reach the prototype.
    if (key === '__proto__' || key === 'constructor') continue;
    let value = input[key];
    const type = storage.findTypeMetadata(cls, key);
    if (type && value !== undefined && value !== null) {
      if (type.options?.discriminator || !isPlainObject(value)) return undefined;
      const nested = fastInstance(type.typeFunction() as new () => object, value);
      if (nested === undefined) return undefined;
      value = nested;
    }
    for (const t of storage.findTransformMetadatas(cls, key, PLAIN_TO_CLASS)) {
      value = t.transformFn({ value, key, obj: input, type: PLAIN_TO_CLASS, options: {} });
    }
    out[key] = value;
  }
  return out as T;
}

export function instantiateConfig<T extends object>(cls: new () => T, input: Record<string, unknown>): T {
  return fastInstance(cls, input) ?? plainToInstance(cls, input, { enableImplicitConversion: false, exposeDefaultValues: false });
}
