import 'reflect-metadata';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import type { ConfigIssue } from '../errors/index.js';
import { unknownFieldMessage } from './didYouMean.js';
import { instantiateConfig } from './instantiateConfig.js';
import { quickValidate } from './quickValidate.js';

export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: ConfigIssue[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const prototype = Object.getPrototypeOf(v) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * `providers[1].clientAuth.alg`: `[n]` for an array element only. An object key that is not an
 * identifier (an unknown field named "0", "a.b" or "") is quoted, `retry["0"]`, so it never reads
 * as an array element or as two nested fields.
 */
function joinPath(base: string, property: string, inArray: boolean): string {
  if (inArray && /^\d+$/.test(property)) return `${base}[${property}]`;
  if (!/^[A-Za-z_$][\w$]*$/.test(property)) return `${base}[${JSON.stringify(property)}]`;
  return base ? `${base}.${property}` : property;
}

const TYPE_CONSTRAINTS = new Set(['isInt', 'isNumber', 'isString', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isEnum', 'nestedValidation', 'whitelistValidation', 'isDefined']);

/** The fields a config class declares (its validation decorators), for "did you mean". */
function knownFields(target: unknown): string[] {
  if (target === null || typeof target !== 'object') return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas((target as object).constructor, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function flatten(errors: readonly ValidationError[], base: string, out: ConfigIssue[], inArray = false): void {
  for (const error of errors) {
    const path = joinPath(base, error.property, inArray);
    const constraints = error.constraints ?? {};
    if (constraints['whitelistValidation'] !== undefined) {
      out.push({ path, message: unknownFieldMessage(error.property, knownFields(error.target)) });
      continue;
    }
    // A value of the wrong type fails its range checks too; the type is the one thing to say.
    const typeFailure = Object.keys(constraints).find((k) => TYPE_CONSTRAINTS.has(k));
    // class-validator starts messages with the property name, which the path already gives.
    let messages = (typeFailure ? [constraints[typeFailure]!] : Object.values(constraints)).map((m) => m.replace(`${error.property} `, '').replace(/^nested property \S+ /, ''));
    // An absent field is missing, not "a string of the wrong kind": say so, unless the field's own
    // message already explains when it is required.
    if (error.value === undefined && messages.length > 0) messages = [messages.find((m) => m.startsWith('is required')) ?? 'is required'];
    for (const message of messages) out.push({ path, message });
    // The value is kept on the error to tell array elements from object keys and absent from wrong; never printed.
    if (error.children?.length) flatten(error.children, path, out, Array.isArray(error.value));
  }
}

/**
 * Validates untrusted input (parsed JSON, options) against a class-validator config class.
 * Unknown keys are reported, not ignored (with the closest known field when one is close); a missing
 * required field "is required"; types are never coerced ("100" is not a number).
 * The errors carry values internally (to tell absent from wrong); issues never do.
 * Issue paths are relative to `basePath`.
 */
export function validateConfig<T extends object>(cls: new () => T, input: unknown, basePath = ''): ValidationResult<T> {
  if (!isPlainObject(input)) {
    return { ok: false, issues: [{ path: basePath, message: `must be an object, got ${describeType(input)}` }] };
  }
  const issues: ConfigIssue[] = [];
  let instance: T;
  try {
    instance = instantiateConfig(cls, input);
  } catch {
    return { ok: false, issues: [{ path: basePath, message: 'cannot be read as a configuration object' }] };
  }
  // A valid config (the common case, a thousand times at start-up) is recognised from the same
  // decorators without class-validator building an error tree; anything else goes through
  // class-validator, which reports every invalid field.
  if (quickValidate(instance)) return { ok: true, value: instance };
  flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: true, value: true } }), basePath, issues);
  return issues.length ? { ok: false, issues } : { ok: true, value: instance };
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export { isPlainObject };
