import type { ProviderInputOf } from '@finauth/core';
import type { ClientSecretBasicConfig } from './ClientSecretBasicConfig.js';

/** A client_secret_basic provider as written in TypeScript: the fields of ClientSecretBasicConfig. */
export type ClientSecretBasicProviderConfig = ProviderInputOf<ClientSecretBasicConfig, 'client_secret_basic'>;

// Importing @finauth/client-secret-basic makes createFinauth's `providers` check these providers field by field.
declare module '@finauth/core' {
  interface ProviderConfigMap {
    client_secret_basic: ClientSecretBasicProviderConfig;
  }
}

/**
 * Types a client_secret_basic provider where it is written (a misspelt or missing field fails to
 * compile, before createFinauth checks it again at run time). Returns its argument.
 */
export function clientSecretBasicProvider(config: ClientSecretBasicProviderConfig): ClientSecretBasicProviderConfig {
  return config;
}
