import { STRATEGY_FACTORY, type StrategyFactory } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { createSnapBiFactory } from './snapBiFactory.js';
import type { SnapSigner } from './SnapSigner.js';

export interface SnapBiOptions {
  /**
   * Signers a provider can name in `"signer"` instead of giving `privateKey`: keys kept in an HSM
   * or a KMS. Each gets the UTF-8 bytes of `clientKey|timestamp` and returns the raw
   * RSASSA-PKCS1-v1_5 SHA-256 signature.
   */
  readonly signers?: Readonly<Record<string, SnapSigner>>;
}

/**
 * The strategy module: `createFinauth({ strategies: [snapBi()], ... })` makes providers with
 * `"strategy": "snap_bi"` available.
 */
export function snapBi(options: SnapBiOptions = {}): ContainerModule {
  const factory = createSnapBiFactory({ ...options.signers });
  // inversify 8 treats a load callback that returns something as async: keep the braces.
  return new ContainerModule(({ bind }) => {
    bind<StrategyFactory>(STRATEGY_FACTORY).toConstantValue(factory);
  });
}
