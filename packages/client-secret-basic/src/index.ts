export { clientSecretBasic } from './clientSecretBasic.js';
export { clientSecretBasicProvider, type ClientSecretBasicProviderConfig } from './clientSecretBasicProvider.js';
export { clientSecretBasicFactory, CLIENT_SECRET_BASIC } from './clientSecretBasicFactory.js';
export { ClientSecretBasicConfig } from './ClientSecretBasicConfig.js';
export { ClientSecretBasicStrategy, type BasicClient } from './ClientSecretBasicStrategy.js';
// The Basic encodings live in @finauth/client-auth (shared with oauth2); re-exported for existing imports.
export { basicCredentials, formUrlEncode, sendableRaw, CREDENTIAL_ENCODINGS, type CredentialEncoding } from '@finauth/client-auth';
