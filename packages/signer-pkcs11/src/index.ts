export { pkcs11Signer } from './pkcs11Signer.js';
export { pkcs11SignerFactory } from './pkcs11SignerFactory.js';
export { openPkcs11Signer, type OpenPkcs11SignerOptions } from './openPkcs11Signer.js';
export { Pkcs11SignerConfig, PKCS11, DEFAULT_SESSIONS } from './config/Pkcs11SignerConfig.js';
export { Pkcs11Signer } from './signing/Pkcs11Signer.js';
export { PKCS11_ALGS, MIN_RSA_BITS, type Pkcs11Alg } from './signing/algorithms.js';
export { jwkThumbprint } from './signing/keyProfile.js';
export { SignerError, type SignerErrorReason } from './errors/SignerError.js';

// The CLI loads extension modules named in a config file's "strategies" by their default export.
export { pkcs11Signer as default } from './pkcs11Signer.js';
