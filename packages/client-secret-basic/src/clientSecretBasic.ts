import { STRATEGY_FACTORY, type StrategyFactory } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { clientSecretBasicFactory } from './clientSecretBasicFactory.js';

/**
 * The strategy module: `createFinauth({ strategies: [clientSecretBasic()], ... })` makes providers
 * with `"strategy": "client_secret_basic"` available.
 */
export function clientSecretBasic(): ContainerModule {
  // inversify 8 treats a load callback that returns something as async: keep the braces.
  return new ContainerModule(({ bind }) => {
    bind<StrategyFactory>(STRATEGY_FACTORY).toConstantValue(clientSecretBasicFactory);
  });
}
