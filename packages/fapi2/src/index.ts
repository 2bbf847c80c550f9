export { fapi2 } from './fapi2.js';
export { fapi2Provider, type Fapi2ProviderConfig } from './fapi2Provider.js';
export { fapi2Factory, FAPI2 } from './fapi2Factory.js';
export { Fapi2Strategy, type Fapi2StrategySettings } from './Fapi2Strategy.js';
export { Fapi2Config } from './config/Fapi2Config.js';
export { ClientAuthConfig } from './config/ClientAuthConfig.js';
export { FapiHeadersConfig } from './config/FapiHeadersConfig.js';
export { SIGNING_ALGS, DEFAULT_SIGNING_ALG, CLIENT_AUTH_METHODS, type SigningAlg, type ClientAuthMethod } from './config/algorithms.js';
// The client authentication pieces live in @finauth/client-auth (shared with oauth2 and
// client-secret-basic); re-exported here so code written against @finauth/fapi2 keeps working.
export {
  JoseSigner,
  rawSigner,
  derToJose,
  loadSigningKey,
  checkFit,
  MIN_RSA_BITS,
  jwkThumbprint,
  PrivateKeyJwt,
  JWT_BEARER_ASSERTION_TYPE,
  ASSERTION_LIFETIME_SECONDS,
  TlsClientAuth,
  type Signer,
  type RawSignerOptions,
  type ClientAssertionClaims,
  type AudienceSetting,
  type ClientAuthentication,
  type AuthenticationMoment,
} from '@finauth/client-auth';
// Discovery (RFC 8414) moved to @finauth/core, shared with oauth2; re-exported for existing imports.
export { discover, discoveryUrls, readDiscoveryDocument, DiscoveryCache, cacheMaxAge, DEFAULT_DISCOVERY_TTL_MS, type DiscoveryResult, type DiscoveredMetadata } from '@finauth/core';
export {
  FAPI_AUTH_DATE_PATTERN,
  INTERACTION_ID_HEADER,
  formatAuthDate,
  buildFapiHeaders,
  type FapiHeaderValues,
  type Fapi2CallOptions,
} from './headers/fapiHeaders.js';
export { ServerClock, CLOCK_SKEW_THRESHOLD_MS } from './time/ServerClock.js';
export { FAPI2_TLS_POLICY, FAPI2_TLS12_CIPHERS } from './tlsPolicy.js';
