import type { StrategyFactory } from '@finauth/core';
import { MyBankConfig } from './MyBankConfig.js';
import { MyBankStrategy } from './MyBankStrategy.js';

/** The provider config's `"strategy"`. */
export const MY_BANK = 'my_bank';

/**
 * Validates a provider (configClass) and builds its strategy. `create` may check what decorators
 * cannot and throw a ConfigError with paths relative to the provider.
 */
export const myBankFactory: StrategyFactory<MyBankConfig> = {
  kind: MY_BANK,
  configClass: MyBankConfig,
  // Optional: raise the TLS floor for every connection of this strategy's providers.
  tlsPolicy: () => ({ minVersion: 'TLSv1.2' }),
  create: (config) => new MyBankStrategy(config),
};
