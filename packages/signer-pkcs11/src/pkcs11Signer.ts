import { ContainerModule } from 'inversify';
import { pkcs11SignerFactory } from './pkcs11SignerFactory.js';

/** The multi-bound identifier config-declared signer types are registered under (@finauth/client-auth's SIGNER_FACTORY). */
export const SIGNER_FACTORY = Symbol.for('@finauth/client-auth/SignerFactory');

/**
 * The ContainerModule that makes `"signer": { "type": "pkcs11", ... }` usable in provider configs:
 * `createFinauth({ strategies: [fapi2(), pkcs11Signer()], providers })`.
 */
export function pkcs11Signer(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SIGNER_FACTORY).toConstantValue(pkcs11SignerFactory);
  });
}
