import type { ConfigIssue, ParsedMaterial } from '@finauth/core';
import type { AsymmetricAlg } from './algorithms.js';
import { JoseSigner } from './JoseSigner.js';
import { jwkThumbprint } from './jwkThumbprint.js';
import { loadSigningKey } from './loadSigningKey.js';
import type { Signer } from './Signer.js';

/** The private_key_jwt fields of a provider's `clientAuth`, as validated by its config class. */
export interface SignerSettings {
  readonly signingKey?: string | Record<string, unknown> | undefined;
  readonly signer?: Signer | undefined;
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
}

export interface ResolvedSigner {
  readonly signer: Signer;
  /** The `kid` to send: configured, the signer's, the JWK's, or the key's RFC 7638 thumbprint. */
  readonly kid: string | undefined;
  /** Key material in every form a message could leak it in: for the strategy's `secrets`. */
  readonly secrets: readonly string[];
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
    const given = settings.signer;
    if (settings.signingKey !== undefined) issues.push({ path: at('signer'), message: 'give either signingKey or signer, not both' });
    if (!(policy.allowedAlgs as readonly string[]).includes(given.alg)) {
      issues.push({ path: at('signer'), message: `signs with ${String(given.alg).slice(0, 20)}; ${policy.allowedBy} allows ${policy.allowedAlgs.join(', ')}` });
      return undefined;
    }
    if (settings.alg !== undefined && settings.alg !== given.alg) issues.push({ path: at('alg'), message: `is ${settings.alg} but the signer signs with ${given.alg}` });
    kid ??= given.kid;
    return { signer: given, kid, secrets: [] };
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
