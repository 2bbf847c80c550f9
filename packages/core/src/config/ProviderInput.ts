import type { ProviderConfig } from './ProviderConfig.js';

/**
 * The provider config types TypeScript knows, keyed by strategy kind. Empty in core: each strategy
 * package adds its own entry by module augmentation, so importing `@finauth/fapi2` is enough for a
 * typo in a fapi2 provider to fail to compile:
 *
 * ```ts
 * declare module '@finauth/core' {
 *   interface ProviderConfigMap { my_bank: ProviderInputOf<MyBankConfig, 'my_bank'> }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ProviderConfigMap {}

/**
 * A provider config as a user writes it, derived from the strategy's config class: every field of
 * the class (read-only), with `strategy` narrowed to the kind so the union of all kinds is
 * discriminated and an object literal gets TypeScript's excess-property check (a typo fails).
 */
export type ProviderInputOf<C extends ProviderConfig, K extends string> = {
  readonly [P in keyof C as P extends 'strategy' ? never : P]: C[P];
} & { readonly strategy: K };

declare const UNCHECKED: unique symbol;

/**
 * A provider config TypeScript cannot check: parsed JSON (`loadConfigFile`), a
 * `Record<string, unknown>` built at run time. createFinauth validates it at run time like any
 * other. An object literal never matches it beyond `id` and `strategy`, so literals keep their
 * excess-property check.
 */
export interface UncheckedProviderConfig {
  readonly [UNCHECKED]?: never;
  readonly id?: unknown;
  readonly strategy?: unknown;
}

/** Every provider type registered in ProviderConfigMap; with none registered, any ProviderConfig-shaped object. */
export type KnownProviderConfig = keyof ProviderConfigMap extends never
  ? ProviderConfig & Readonly<Record<string, unknown>>
  : ProviderConfigMap[keyof ProviderConfigMap];

/** What `providers: [...]` accepts. */
export type ProviderInput = KnownProviderConfig | UncheckedProviderConfig;
