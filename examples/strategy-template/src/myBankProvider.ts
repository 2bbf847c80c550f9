import type { ProviderInputOf } from '@finauth/core';
import type { MyBankConfig } from './MyBankConfig.js';

/** A my_bank provider as written in TypeScript. */
export type MyBankProviderConfig = ProviderInputOf<MyBankConfig, 'my_bank'>;

// Registers the type with core: importing this package makes createFinauth check my_bank
// providers field by field (a misspelt field fails to compile).
declare module '@finauth/core' {
  interface ProviderConfigMap {
    my_bank: MyBankProviderConfig;
  }
}

/** Types a provider where it is written; returns its argument. */
export function myBankProvider(config: MyBankProviderConfig): MyBankProviderConfig {
  return config;
}
