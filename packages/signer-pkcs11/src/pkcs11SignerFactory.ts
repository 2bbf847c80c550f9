import type { SignerFactory, SignerFactoryContext } from '@finauth/client-auth';
import { PKCS11, Pkcs11SignerConfig } from './config/Pkcs11SignerConfig.js';
import { openPkcs11Signer } from './openPkcs11Signer.js';

/**
 * The "pkcs11" signer type: `clientAuth.signer: { "type": "pkcs11", ... }` in a provider config.
 * `create` opens the token and throws a ConfigError whose paths are relative to the signer object.
 */
export const pkcs11SignerFactory: SignerFactory<Pkcs11SignerConfig> = {
  type: PKCS11,
  configClass: Pkcs11SignerConfig,
  create(config: Pkcs11SignerConfig, context: SignerFactoryContext) {
    return openPkcs11Signer(config, { alg: context.alg, kid: context.kid, providerId: context.providerId });
  },
};
