import type { ProviderInputOf } from '@finauth/core';
import type { Fapi2Config } from './config/Fapi2Config.js';

/** A fapi2 provider as written in TypeScript: the fields of Fapi2Config, `strategy: 'fapi2'`. */
export type Fapi2ProviderConfig = ProviderInputOf<Fapi2Config, 'fapi2'>;

// Importing @finauth/fapi2 makes createFinauth's `providers` check fapi2 providers field by field.
declare module '@finauth/core' {
  interface ProviderConfigMap {
    fapi2: Fapi2ProviderConfig;
  }
}

/**
 * Types a fapi2 provider where it is written (a misspelt or missing field fails to compile, before
 * createFinauth checks it again at run time). Returns its argument.
 */
export function fapi2Provider(config: Fapi2ProviderConfig): Fapi2ProviderConfig {
  return config;
}
