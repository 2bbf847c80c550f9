import type { Logger } from '@finauth/core';
import type { Signer } from './Signer.js';

/**
 * Multi-bound: every signer package binds its SignerFactory here (`pkcs11Signer()` binds "pkcs11"),
 * from a ContainerModule given in `strategies: [...]` like a strategy's. A provider's
 * `clientAuth.signer: { "type": "pkcs11", ... }` is then built by that factory.
 */
export const SIGNER_FACTORY = Symbol.for('@finauth/client-auth/SignerFactory');

/** A Signer the provider created from its config, and so closes with it (HSM sessions, KMS clients). */
export interface ManagedSigner extends Signer {
  close?(): void | Promise<void>;
  /**
   * The certificate the key store holds for this key (DER), when it holds one: `finauth doctor`
   * checks it carries the signer's public key, as a bank that registered the certificate would.
   */
  certificate?(): Promise<Buffer | undefined>;
}

/** What the provider asks of the signer it builds. */
export interface SignerFactoryContext {
  readonly providerId: string;
  readonly logger: Logger;
  /** `clientAuth.alg`, when given: the factory checks its key fits (else infers the alg from the key). */
  readonly alg?: string | undefined;
  /** `clientAuth.kid`, when given. */
  readonly kid?: string | undefined;
}

/**
 * A config-declared signer type. `configClass` validates the signer object (class-validator,
 * unknown fields reported, `@SecretRef()` on fields that may be `env:`/`file:` references);
 * `create` opens what signs (an HSM token, a KMS client) and throws a ConfigError whose paths are
 * relative to the signer object (`pin`, `keyLabel`), synchronously, so createFinauth reports it.
 */
export interface SignerFactory<C extends object = object> {
  readonly type: string;
  readonly configClass: new () => C;
  create(config: C, context: SignerFactoryContext): ManagedSigner;
}
