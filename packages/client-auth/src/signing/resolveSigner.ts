import type { ConfigIssue, ParsedMaterial, StrategyContext } from '@finauth/core';
import { createConfiguredSigner, isSignerConfig } from './configuredSigner.js';
import type { ManagedSigner } from './SignerFactory.js';
import type { AsymmetricAlg } from './algorithms.js';
import { JoseSigner } from './JoseSigner.js';
import { jwkThumbprint } from './jwkThumbprint.js';
import { loadSigningKey } from './loadSigningKey.js';
import type { Signer } from './Signer.js';

/** The private_key_jwt fields of a provider's `clientAuth`, as validated by its config class. */
export interface SignerSettings {
  readonly signingKey?: string | Record<string, unknown> | undefined;
  /** A Signer object (programmatic), or `{ "type": "pkcs11", ... }` from a config file, built by the factory registered for its type. */
  readonly signer?: Signer | Record<string, unknown> | undefined;
  readonly alg?: string | undefined;
  readonly kid?: string | undefined;
}

export interface SignerPolicy {
  /** The algorithms the strategy allows (FAPI 2.0: PS256, ES256, EdDSA). */
  readonly allowedAlgs: readonly AsymmetricAlg[];
  readonly defaultAlg: AsymmetricAlg;
  /** Named in messages: "FAPI 2.0 allows ...". */
  readonly allowedBy: string;
  /** Where the fields sit, for issue paths (`clientAuth`). */
  readonly path: string;
  readonly material?: ParsedMaterial | undefined;
  /** The strategy's creation context: where config-declared signer types are found (SIGNER_FACTORY) and their references resolved. */
  readonly context?: StrategyContext | undefined;
}

export interface ResolvedSigner {
  readonly signer: Signer;
  /** The `kid` to send: configured, the signer's, the JWK's, or the key's RFC 7638 thumbprint. */
  readonly kid: string | undefined;
  /** Key material in every form a message could leak it in: for the strategy's `secrets`. */
  readonly secrets: readonly string[];
  /** Set when the signer was built from the config: the strategy closes it with the provider (HSM sessions). */
  readonly close?: () => Promise<void>;
}

/**
 * Turns `signingKey` or a programmatic `signer` into one Signer, checking what decorators cannot:
 * the key fits the alg, the alg is one the strategy allows, the two are not both given. Issues are
 * pushed with paths under `policy.path`; undefined when the signer cannot be built.
 */
export function resolveSigner(settings: SignerSettings, policy: SignerPolicy, issues: ConfigIssue[]): ResolvedSigner | undefined {
  const at = (field: string): string => `${policy.path}.${field}`;
  let kid = settings.kid;
  if (settings.signer !== undefined) {
    if (settings.signingKey !== undefined) issues.push({ path: at('signer'), message: 'give either signingKey or signer, not both' });
    let owned: ManagedSigner | undefined;
    if (isSignerConfig(settings.signer)) {
      if (!policy.context) {
        issues.push({ path: at('signer'), message: 'a signer declared by type needs the strategy to pass its creation context' });
        return undefined;
      }
      owned = createConfiguredSigner(settings.signer, at('signer'), policy.context, { alg: settings.alg, kid: settings.kid }, issues);
      if (!owned) return undefined;
    }
    const given = owned ?? (settings.signer as Signer);
    const close = owned ? async (): Promise<void> => void (await owned.close?.()) : undefined;
    if (!(policy.allowedAlgs as readonly string[]).includes(given.alg)) {
      issues.push({ path: at('signer'), message: `signs with ${String(given.alg).slice(0, 20)}; ${policy.allowedBy} allows ${policy.allowedAlgs.join(', ')}` });
      void close?.();
      return undefined;
    }
    if (settings.alg !== undefined && settings.alg !== given.alg) issues.push({ path: at('alg'), message: `is ${settings.alg} but the signer signs with ${given.alg}` });
    kid ??= given.kid;
    return { signer: given, kid, secrets: [], ...(close ? { close } : {}) };
  }
  const alg = (settings.alg ?? policy.defaultAlg) as AsymmetricAlg;
  const input = settings.signingKey;
  if (input === undefined) return undefined; // reported by validation
  const loaded = loadSigningKey(input, alg, at('signingKey'), policy.material);
  issues.push(...loaded.issues);
  if (!loaded.key) return undefined;
  const jwk = typeof input === 'object' ? input : undefined;
  if (jwk && typeof jwk['alg'] === 'string' && jwk['alg'] !== alg) issues.push({ path: at('alg'), message: `is ${alg} but the JWK says alg ${String(jwk['alg']).slice(0, 20)}` });
  // The bank knows the key by the kid it registered; without one, the RFC 7638 thumbprint is the conventional default.
  kid ??= jwk && typeof jwk['kid'] === 'string' ? jwk['kid'] : jwkThumbprint(loaded.key.key);
  return { signer: new JoseSigner(loaded.key.key, alg, kid), kid, secrets: loaded.key.secretParts };
}
