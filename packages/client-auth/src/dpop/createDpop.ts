import type { ConfigIssue, ParsedMaterial } from '@finauth/core';
import { JoseSigner } from '../signing/JoseSigner.js';
import { loadSigningKey } from '../signing/loadSigningKey.js';
import { DpopConfig, DPOP_ALGS, type DpopAlg } from './DpopConfig.js';
import { DpopProver, generateDpopKey, publicJwkOf } from './DpopProver.js';

/**
 * The prover for a provider's `dpop` setting, or undefined when DPoP is off or the setting is
 * wrong (issues pushed with paths under `dpop`). Synchronous: createFinauth throws its
 * ConfigError itself. A key is imported once here, never per proof.
 */
export function createDpop(setting: boolean | DpopConfig | undefined | null, options: { nowSeconds: () => number; material?: ParsedMaterial | undefined }, issues: ConfigIssue[]): DpopProver | undefined {
  if (setting === undefined || setting === null || setting === false) return undefined;
  const generated = (): DpopProver => {
    const key = generateDpopKey();
    return new DpopProver(new JoseSigner(key, 'ES256'), publicJwkOf(key), true, options.nowSeconds);
  };
  if (setting === true) return generated();
  const config = setting instanceof DpopConfig ? setting : Object.assign(new DpopConfig(), setting);
  if (config.signer !== undefined) {
    if (config.key !== undefined) issues.push({ path: 'dpop.signer', message: 'give either dpop.key or dpop.signer, not both' });
    if (!(DPOP_ALGS as readonly string[]).includes(config.signer.alg)) {
      issues.push({ path: 'dpop.signer', message: `signs with ${String(config.signer.alg).slice(0, 20)}; DPoP proofs here use ${DPOP_ALGS.join(', ')}` });
      return undefined;
    }
    return new DpopProver(config.signer, undefined, false, options.nowSeconds);
  }
  const alg: DpopAlg = config.alg ?? 'ES256';
  if (config.key === undefined && config.alg === undefined) return generated();
  if (config.key === undefined) {
    if (alg !== 'ES256') issues.push({ path: 'dpop.key', message: `is required for dpop.alg ${alg} (a generated key is ES256)` });
    return generated();
  }
  const loaded = loadSigningKey(config.key, alg, 'dpop.key', options.material);
  issues.push(...loaded.issues);
  if (!loaded.key) return undefined;
  return new DpopProver(new JoseSigner(loaded.key.key, alg), publicJwkOf(loaded.key.key), false, options.nowSeconds);
}
