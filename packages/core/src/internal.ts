/**
 * `@finauth/core/internal`: building blocks finauth's own packages share (the shipped strategies,
 * the cache and the cli). Usable by a strategy or extension package, but NOT part of the stable
 * API: any release may change them. The public API is the main entry, `@finauth/core`
 * (packages/core/README.md, "Public API").
 */
export { SingleFlight } from './token/SingleFlight.js';
export { cacheEntryFor, type RefreshPolicy } from './cache/refreshPolicy.js';
export { ParsedMaterial } from './config/ParsedMaterial.js';
export { resolveSecretRefs } from './config/SecretRef.js';
export { AxiosTransport } from './http/AxiosTransport.js';
export { safeUrl } from './http/transportError.js';
export { tlsAgentOptions, DEFAULT_TLS12_CIPHERS } from './http/tlsAgentOptions.js';
