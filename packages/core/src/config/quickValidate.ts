import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

type Check = (object: Record<string, unknown>, value: unknown) => boolean | undefined;

interface Plan {
  /** Every property that has metadata: anything else is an unknown field (forbidNonWhitelisted). */
  readonly known: ReadonlySet<string>;
  readonly properties: ReadonlyArray<{
    readonly name: string;
    readonly conditions: ReadonlyArray<(object: unknown, value: unknown) => boolean>;
    /** isDefined, then the custom constraints: run only when every condition holds, as class-validator does. */
    readonly checks: readonly Check[];
    readonly nested: boolean;
  }>;
}

const storage = getMetadataStorage();
const EMPTY: object = Object.freeze({});
const plans = new Map<Function, Plan | null>();

/**
 * One plan per config class, from class-validator's own metadata (the decorators), built once: the
 * executor re-filters every class's metadata for every object it validates (docs/performance.md).
 */
function planFor(cls: Function): Plan | null {
  let plan = plans.get(cls);
  if (plan !== undefined) return plan;
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length === 0) {
    plans.set(cls, null);
    return null;
  }
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: Array<Plan['properties'][number]> = [];
  for (const [name, list] of Object.entries(grouped)) {
    const conditions = list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.constraints[0] as (object: unknown, value: unknown) => boolean);
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED);
    const custom = list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION);
    const nested = list.some((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    const other = list.some((m) => ![ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.WHITELIST].includes(m.type));
    if (other) {
      // Promise validation and anything newer: leave the whole class to class-validator.
      plans.set(cls, null);
      return null;
    }
    const checks: Check[] = [];
    for (const m of [...defined, ...custom]) {
      for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
        if (constraint.async) {
          plans.set(cls, null);
          return null;
        }
        const validator = constraint.instance;
        // Read once: a function's `name` is a native accessor, slow to read for every check of every object.
        const targetName = cls.name;
        const each = Boolean(m.each);
        const constraints = m.constraints;
        // One arguments object per check, filled for each call and emptied after it (so it holds no
        // config): a new one for each of the ~30 checks of every provider showed in creating a
        // thousand. A validator that validates another object of the same class from inside its
        // own call (re-entry) gets a fresh one, so the outer call's arguments stay as they were.
        const shared: { -readonly [K in keyof ValidationArguments]: ValidationArguments[K] } = { targetName, property: name, object: EMPTY, value: undefined, constraints };
        let busy = false;
        checks.push((object, value) => {
          // `each` over an array, set or map: class-validator's own path decides.
          if (each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) return undefined;
          let result: unknown;
          if (busy) {
            result = validator.validate(value, { targetName, property: name, object, value, constraints });
          } else {
            busy = true;
            shared.object = object;
            shared.value = value;
            try {
              result = validator.validate(value, shared);
            } finally {
              shared.object = EMPTY;
              shared.value = undefined;
              busy = false;
            }
          }
          // A promise (an async constraint) or a truthy non-boolean: class-validator decides. Such a
          // promise is dropped, and its arguments were emptied: it must not end unhandled.
          if (result instanceof Promise) result.catch(() => undefined);
          return typeof result === 'boolean' ? result : undefined;
        });
      }
    }
    properties.push({ name, conditions, checks, nested });
  }
  plan = { known: new Set(Object.keys(grouped)), properties };
  plans.set(cls, plan);
  return plan;
}

/**
 * True only when class-validator would find nothing wrong with `object` under finauth's options
 * (whitelist + forbidNonWhitelisted + forbidUnknownValues, no groups): the same decorators, the
 * same constraint functions, the same order of conditions — without building a ValidationError
 * for every property. False means "not sure or invalid": the caller then runs class-validator
 * itself, which reports every problem with its own messages.
 */
export function quickValidate(object: unknown): boolean {
  if (typeof object !== 'object' || object === null || object instanceof Promise) return false;
  const plan = planFor(object.constructor);
  if (!plan) return false;
  const record = object as Record<string, unknown>;
  // Indexed loops, not for...of: this runs for every config object at start-up, mostly before V8
  // optimises it, and the interpreter pays for the iterator protocol on every element.
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) if (!plan.known.has(keys[i]!)) return false;
  const properties = plan.properties;
  for (let p = 0; p < properties.length; p++) {
    const property = properties[p]!;
    const value = record[property.name];
    if (value instanceof Promise) return false;
    let applies = true;
    const conditions = property.conditions;
    for (let c = 0; c < conditions.length; c++) {
      if (!conditions[c]!(record, value)) {
        applies = false;
        break;
      }
    }
    if (!applies) continue;
    const checks = property.checks;
    for (let c = 0; c < checks.length; c++) if (checks[c]!(record, value) !== true) return false;
    if (property.nested && value !== undefined) {
      if (Array.isArray(value) || value instanceof Set || value instanceof Map || typeof value !== 'object' || value === null) return false;
      if (!quickValidate(value)) return false;
    }
  }
  return true;
}
