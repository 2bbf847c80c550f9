import type { ProviderInputOf } from '@finauth/core';
import type { ClientSecretPostConfig } from './ClientSecretPostConfig.js';

export type ClientSecretPostProviderConfig = ProviderInputOf<ClientSecretPostConfig, 'client_secret_post'>;

declare module '@finauth/core' {
  interface ProviderConfigMap {
    client_secret_post: ClientSecretPostProviderConfig;
  }
}
