/**
 * Service identifiers for every replaceable part of finauth. Package-qualified `Symbol.for` keys,
 * so two installed copies of core agree on them.
 */
export const TOKEN_CACHE = Symbol.for('@finauth/core/TokenCache');
export const CLOCK = Symbol.for('@finauth/core/Clock');
export const LOGGER = Symbol.for('@finauth/core/Logger');
export const TELEMETRY = Symbol.for('@finauth/core/Telemetry');
export const TRANSPORT_FACTORY = Symbol.for('@finauth/core/TransportFactory');
export const SECRET_RESOLVER = Symbol.for('@finauth/core/SecretResolver');
/** Multi-bound: every strategy package binds its StrategyFactory here. */
export const STRATEGY_FACTORY = Symbol.for('@finauth/core/StrategyFactory');
