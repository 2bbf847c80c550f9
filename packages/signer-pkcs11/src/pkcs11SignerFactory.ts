import type { ConfigIssue } from '@finauth/core';
import { PKCS11, Pkcs11SignerConfig } from './config/Pkcs11SignerConfig.js';
import { openPkcs11Signer } from './openPkcs11Signer.js';
import type { Pkcs11Signer } from './signing/Pkcs11Signer.js';

/** What the provider tells a signer factory: the alg and kid it asks for, and who it is. */
export interface Pkcs11SignerContext {
  readonly providerId?: string | undefined;
  readonly alg?: string | undefined;
  readonly kid?: string | undefined;
}

/**
 * The "pkcs11" signer type: `clientAuth.signer: { "type": "pkcs11", ... }` in a provider config.
 * `create` opens the token and throws a ConfigError whose paths are relative to the signer object.
 */
export const pkcs11SignerFactory = {
  type: PKCS11,
  configClass: Pkcs11SignerConfig,
  create(config: Pkcs11SignerConfig, context: Pkcs11SignerContext): Pkcs11Signer {
    return openPkcs11Signer(config, context);
  },
} as const;

export type { ConfigIssue };
