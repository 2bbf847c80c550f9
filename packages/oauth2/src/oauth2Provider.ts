import type { ProviderInputOf } from '@finauth/core';
import type { Oauth2Config } from './config/Oauth2Config.js';

/** An oauth2 provider as written in TypeScript: the fields of Oauth2Config, `strategy: 'oauth2'`. */
export type Oauth2ProviderConfig = ProviderInputOf<Oauth2Config, 'oauth2'>;

// Importing @finauth/oauth2 makes createFinauth's `providers` check oauth2 providers field by field.
declare module '@finauth/core' {
  interface ProviderConfigMap {
    oauth2: Oauth2ProviderConfig;
  }
}

/**
 * Types an oauth2 provider where it is written (a misspelt or missing field fails to compile, before
 * createFinauth checks it again at run time). Returns its argument.
 */
export function oauth2Provider(config: Oauth2ProviderConfig): Oauth2ProviderConfig {
  return config;
}
