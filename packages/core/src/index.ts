import 'reflect-metadata';

/*
 * The public API of @finauth/core: everything exported here is kept stable across minor releases
 * (semver). Building blocks shared by finauth's own packages live in `@finauth/core/internal`,
 * which any release may change. packages/core/README.md lists both.
 */

export { createFinauth } from './createFinauth.js';
export { Finauth, type ProviderInfo } from './Finauth.js';
export type { ReloadResult } from './providers/ProviderManager.js';
export type { FinauthHealth, HealthStatus, ProviderHealth } from './health/ProviderHealth.js';
export type { CircuitState } from './token/CircuitBreaker.js';
export * from './errors/index.js';
export * from './di/identifiers.js';

export type { AccessToken } from './token/AccessToken.js';
export type { GetTokenOptions } from './token/GetTokenOptions.js';
export {
  parseTokenResponse,
  tokenEndpointError,
  normalizeTokenType,
  accessTokenFrom,
  parseJsonObject,
  shortenServerText,
  describeBody,
  type TokenResponseContext,
  type TokenFields,
  type TokenFieldProblem,
} from './token/parseTokenResponse.js';
export { MAX_RECOVERIES } from './token/TokenPipeline.js';
export { normalizeScope } from './token/scope.js';

export type { CachedToken, TokenCache } from './cache/TokenCache.js';
export { MemoryTokenCache } from './cache/MemoryTokenCache.js';

export type { FinauthOptions } from './config/FinauthOptions.js';
export { ProviderConfig, type ProviderConfigClass } from './config/ProviderConfig.js';
export type { KnownProviderConfig, ProviderConfigMap, ProviderInput, ProviderInputOf, UncheckedProviderConfig } from './config/ProviderInput.js';
export { TlsConfig } from './config/TlsConfig.js';
export { RetryConfig } from './config/RetryConfig.js';
export { CircuitConfig, DEFAULT_CIRCUIT } from './config/CircuitConfig.js';
export { MaterialRef, SecretRef } from './config/SecretRef.js';
export { defaultSecretResolver, type SecretResolver } from './config/SecretResolver.js';
export { validateConfig, type ValidationResult } from './config/validateConfig.js';
export { loadConfigFile } from './config/loadConfigFile.js';
/** The type of StrategyContext.material; the class is in `@finauth/core/internal`. */
export type { ParsedMaterial } from './config/ParsedMaterial.js';
export { CERT_EXPIRY_WARNING_DAYS } from './config/checkTlsMaterial.js';

export type { HttpResponse } from './http/HttpResponse.js';
export type { HttpRequest, TlsPolicy, Transport, TransportFactory, TransportOptions } from './http/Transport.js';
export { httpsTransportFactory } from './http/HttpsTransport.js';
/** The type of TransportOptions.proxy; the class and the tunnel parts are in `@finauth/core/internal`. */
export type { ProxyEndpoint } from './http/proxy/ProxyEndpoint.js';
export { parseRetryAfter } from './http/retryAfter.js';

export { discover, type DiscoveryResult } from './discovery/discover.js';
export { discoveryUrls } from './discovery/discoveryUrls.js';
export { readDiscoveryDocument, type DiscoveredMetadata } from './discovery/readDiscoveryDocument.js';
export { DiscoveryCache } from './discovery/DiscoveryCache.js';
export { cacheMaxAge, DEFAULT_DISCOVERY_TTL_MS } from './discovery/cacheMaxAge.js';

export type { ResourceRequest, ResourceResponse, Strategy, StrategyContext, StrategyFactory, TokenCallContext, TokenRequest } from './strategy/Strategy.js';

export { silentLogger, type Logger } from './observability/Logger.js';
export {
  noopTelemetry,
  type Telemetry,
  type TelemetryEvent,
  type TelemetryAttributes,
  type TelemetrySpan,
  type TelemetrySpanOptions,
  type CoreTelemetryEventName,
  type CoreSpanName,
} from './observability/Telemetry.js';
export { systemClock, type Clock } from './time/Clock.js';
