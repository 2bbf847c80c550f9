import { STRATEGY_FACTORY, type StrategyFactory } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { fapi2Factory } from './fapi2Factory.js';

/**
 * The strategy module: `createFinauth({ strategies: [fapi2()], ... })` makes providers with
 * `"strategy": "fapi2"` available.
 */
export function fapi2(): ContainerModule {
  // inversify 8 treats a load callback that returns something as async: keep the braces.
  return new ContainerModule(({ bind }) => {
    bind<StrategyFactory>(STRATEGY_FACTORY).toConstantValue(fapi2Factory);
  });
}
