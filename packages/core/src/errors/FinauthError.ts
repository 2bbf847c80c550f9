/**
 * Brands survive two installed copies of @finauth/core (a strategy built against another copy):
 * `instanceof` would not, so `is()` checks the brand instead.
 */
const BRAND = Symbol.for('@finauth/core/FinauthError');

export interface FinauthErrorOptions {
  readonly providerId?: string | undefined;
  readonly cause?: unknown;
}

/** The base of every error finauth throws: a stable string `code` and the provider it concerns. */
export abstract class FinauthError extends Error {
  abstract readonly code: string;
  readonly providerId: string | undefined;

  protected constructor(message: string, options: FinauthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.providerId = options.providerId;
    Object.defineProperty(this, BRAND, { value: new.target.name, enumerable: false });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }

  /** True for any finauth error, from any installed copy of core. */
  static is(value: unknown): value is FinauthError {
    return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[BRAND] === 'string';
  }

  /** True when `value` is a finauth error of exactly this class's name. */
  protected static isNamed(value: unknown, name: string): boolean {
    return FinauthError.is(value) && (value as unknown as Record<symbol, unknown>)[BRAND] === name;
  }

  /** What logs and `JSON.stringify` show: the message and fields, never the cause's internals. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, providerId: this.providerId, ...this.details() };
  }

  /** Extra public fields of a subclass, for `toJSON()`. */
  protected details(): Record<string, unknown> {
    return {};
  }
}
