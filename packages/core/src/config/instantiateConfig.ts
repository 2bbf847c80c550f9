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

/** What class-transformer declares for one property of a class: its `@Type` and its `@Transform`s (plain to class). */
interface PropertyMetadata {
  readonly type: ReturnType<TransformerMetadata['findTypeMetadata']>;
  readonly transforms: ReturnType<TransformerMetadata['findTransformMetadatas']>;
}
const NO_METADATA: PropertyMetadata = { type: undefined, transforms: [] };
/** Property names looked up per class beyond which lookups are no longer remembered (input keys are the user's). */
const REMEMBERED_PROPERTIES = 256;
/**
 * Each class's metadata per property, looked up once: class-transformer's storage filters its
 * lists (the class and its ancestors) on every lookup, twice per key of every config object.
 */
const propertyMetadata = new Map<Function, Map<string, PropertyMetadata>>();
function metadataOf(cls: Function, key: string): PropertyMetadata {
  let byKey = propertyMetadata.get(cls);
  if (byKey === undefined) propertyMetadata.set(cls, (byKey = new Map()));
  let found = byKey.get(key);
  if (found === undefined) {
    const type = storage.findTypeMetadata(cls, key);
    const transforms = storage.findTransformMetadatas(cls, key, PLAIN_TO_CLASS);
    found = type === undefined && transforms.length === 0 ? NO_METADATA : { type, transforms };
    if (byKey.size < REMEMBERED_PROPERTIES) byKey.set(key, found);
  }
  return found;
}

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
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // class-transformer skips these too: never let input reach the prototype.
    if (key === '__proto__' || key === 'constructor') continue;
    let value = input[key];
    const { type, transforms } = metadataOf(cls, key);
    if (type && value !== undefined && value !== null) {
      if (type.options?.discriminator || !isPlainObject(value)) return undefined;
      const nested = fastInstance(type.typeFunction() as new () => object, value);
      if (nested === undefined) return undefined;
      value = nested;
    }
    for (let t = 0; t < transforms.length; t++) {
      value = transforms[t]!.transformFn({ value, key, obj: input, type: PLAIN_TO_CLASS, options: {} });
    }
    out[key] = value;
  }
  return out as T;
}

export function instantiateConfig<T extends object>(cls: new () => T, input: Record<string, unknown>): T {
  return fastInstance(cls, input) ?? plainToInstance(cls, input, { enableImplicitConversion: false, exposeDefaultValues: false });
}
