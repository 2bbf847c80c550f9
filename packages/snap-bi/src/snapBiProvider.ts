import type { ProviderInputOf } from '@finauth/core';
import type { SnapBiConfig } from './SnapBiConfig.js';

/** A SNAP BI provider as written in TypeScript: the fields of SnapBiConfig, `strategy: 'snap_bi'`. */
export type SnapBiProviderConfig = ProviderInputOf<SnapBiConfig, 'snap_bi'>;

// Importing @finauth/snap-bi makes createFinauth's `providers` check snap_bi providers field by field.
declare module '@finauth/core' {
  interface ProviderConfigMap {
    snap_bi: SnapBiProviderConfig;
  }
}

/**
 * Types a SNAP BI provider where it is written (a misspelt or missing field fails to compile, before
 * createFinauth checks it again at run time). Returns its argument.
 */
export function snapBiProvider(config: SnapBiProviderConfig): SnapBiProviderConfig {
  return config;
}
