import { SIGNER_FACTORY } from '@finauth/client-auth';
import { ContainerModule } from 'inversify';
import { pkcs11SignerFactory } from './pkcs11SignerFactory.js';

/**
 * The ContainerModule that makes `"signer": { "type": "pkcs11", ... }` usable in provider configs:
 * `createFinauth({ strategies: [fapi2(), pkcs11Signer()], providers })`. It binds the "pkcs11"
 * SignerFactory under @finauth/client-auth's multi-bound SIGNER_FACTORY.
 */
export function pkcs11Signer(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SIGNER_FACTORY).toConstantValue(pkcs11SignerFactory);
  });
}
