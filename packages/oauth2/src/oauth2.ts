import { STRATEGY_FACTORY, type StrategyFactory } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { oauth2Factory } from './oauth2Factory.js';

/**
 * The strategy module: `createFinauth({ strategies: [oauth2()], ... })` makes providers with
 * `"strategy": "oauth2"` available.
 */
export function oauth2(): ContainerModule {
  // inversify 8 treats a load callback that returns something as async: keep the braces.
  return new ContainerModule(({ bind }) => {
    bind<StrategyFactory>(STRATEGY_FACTORY).toConstantValue(oauth2Factory);
  });
}
