export { FinauthError, type FinauthErrorOptions } from './FinauthError.js';
export { ConfigError, type ConfigIssue } from './ConfigError.js';
export { DiscoveryError } from './DiscoveryError.js';
export { TransportError, type TransportFailure } from './TransportError.js';
export { TokenEndpointError, type TokenEndpointErrorDetails } from './TokenEndpointError.js';
export { ResponseFormatError } from './ResponseFormatError.js';
export { ProviderUnavailableError } from './ProviderUnavailableError.js';
