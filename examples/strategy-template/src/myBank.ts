import { STRATEGY_FACTORY, type StrategyFactory } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { myBankFactory } from './myBankFactory.js';

/**
 * The strategy module: `createFinauth({ strategies: [myBank()], ... })`, or
 * `"strategies": ["@acme/finauth-mybank"]` in a config file for the `finauth` command.
 */
export function myBank(): ContainerModule {
  // inversify 8 treats a load callback that returns something as async: keep the braces.
  return new ContainerModule(({ bind }) => {
    bind<StrategyFactory>(STRATEGY_FACTORY).toConstantValue(myBankFactory);
  });
}
