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
export { HttpsTransport } from './http/HttpsTransport.js';
export { ProxyEndpoint } from './http/proxy/ProxyEndpoint.js';
export { ProxyTunnelAgent } from './http/proxy/ProxyTunnelAgent.js';
export { ProxyTunnelError, type ProxyFailureKind } from './http/proxy/ProxyTunnelError.js';
export { openTunnel } from './http/proxy/openTunnel.js';
export { resolveProxy, type ProxySetting } from './http/proxy/resolveProxy.js';
export { proxyTransportError, safeUrl } from './http/transportError.js';
export { tlsAgentOptions, DEFAULT_TLS12_CIPHERS } from './http/tlsAgentOptions.js';
