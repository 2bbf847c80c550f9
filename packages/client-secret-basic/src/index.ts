export { clientSecretBasic } from './clientSecretBasic.js';
export { clientSecretBasicFactory, CLIENT_SECRET_BASIC } from './clientSecretBasicFactory.js';
export { ClientSecretBasicConfig } from './ClientSecretBasicConfig.js';
export { ClientSecretBasicStrategy, type BasicClient } from './ClientSecretBasicStrategy.js';
export { basicCredentials, formUrlEncode, sendableRaw, CREDENTIAL_ENCODINGS, type CredentialEncoding } from '@finauth/client-auth';
