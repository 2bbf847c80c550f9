import type { ProviderConfig, ProviderConfigClass } from '../config/ProviderConfig.js';
import type { ParsedMaterial } from '../config/ParsedMaterial.js';
import type { Container } from 'inversify';
import type { ConfigIssue, FinauthError } from '../errors/index.js';
import type { HttpResponse } from '../http/HttpResponse.js';
import type { TlsPolicy, Transport } from '../http/Transport.js';
import type { Logger } from '../observability/Logger.js';
import type { Telemetry } from '../observability/Telemetry.js';
import type { Clock } from '../time/Clock.js';
import type { AccessToken } from '../token/AccessToken.js';
import type { TokenResponseContext } from '../token/parseTokenResponse.js';

/** What a strategy may use, given once when its provider is created. */
export interface StrategyContext {
  readonly providerId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** The provider's transport: its mTLS agent, timeouts and size limits (discovery uses it too). */
  readonly transport: Transport;
  /**
   * At creation only (`StrategyFactory.create`): parses each distinct PEM once for the whole
   * createFinauth call, so providers sharing a key or certificate do not parse it again.
   */
  readonly material?: ParsedMaterial;
  /**
   * At creation only: the instance's container, where a strategy finds the extensions it offers a
   * point for (multi-bound identifiers, e.g. @finauth/client-auth's signer factories). Core binds
   * nothing there for strategies; extension modules are loaded from `strategies: [...]` like strategies.
   */
  readonly container?: Container;
  /**
   * At creation only: resolves the `env:`/`file:` references (fields marked `@SecretRef()`) of a
   * config object the strategy validated itself, such as an extension's nested config, with this
   * provider's resolver and base folder. Returns the problems, paths relative to that object.
   */
  readonly resolveReferences?: (config: object) => ConfigIssue[];
}

/** One attempt at the token endpoint. */
export interface TokenCallContext extends StrategyContext {
  /** 0 for the first attempt, then 1, 2, ... (retries and recoveries). */
  readonly attempt: number;
  /** Aborted when the instance closes; pass it to any I/O the strategy does. */
  readonly signal: AbortSignal;
  /** Per-call options for the strategy (`getToken(id, { strategyOptions })`), e.g. FAPI headers. */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * The same object for every attempt of one fetch, a new one for the next fetch: a WeakMap key
   * for per-fetch state (which variant this fetch has tried). Concurrent fetches of one provider
   * (different scopes) have different ones.
   */
  readonly fetch: object;
}

/**
 * The request being built. Core has put `grant_type=client_credentials`, `scope`, `Content-Type`
 * and `Accept` in; the strategy sets `url` and adds what proves who the client is.
 */
export interface TokenRequest {
  url: string;
  readonly headers: Record<string, string>;
  /** The RFC 6749 §4.4.2 form. Sent unless `payload` is set. */
  readonly body: URLSearchParams;
  /**
   * A body in another encoding, for token endpoints that are not OAuth on the wire (a JSON body,
   * e.g. SNAP BI's `{"grantType":"client_credentials"}`). When set, core sends `text` with
   * `Content-Type: contentType` instead of the form, and `body` is ignored.
   */
  payload?: { readonly contentType: string; readonly text: string };
  /**
   * Values of this attempt that prove identity outside the form and `Authorization` (a request
   * signature in a custom header): scrubbed from any error the attempt leads to, like a
   * `client_assertion`. Form values and the `Authorization` credentials are scrubbed without being listed.
   */
  credentials?: string[];
}

/**
 * A provider's authentication scheme: only what differs between banks. Caching, single flight,
 * retries, parsing, error mapping and redaction are core's.
 */
export interface Strategy {
  /** How the client authenticates (`private_key_jwt`, `client_secret_basic`, ...): telemetry, doctor. */
  readonly authMethod: string;
  /**
   * Everything besides provider id and scope that changes which token the bank issues (issuer or
   * token endpoint, client id, auth method, key id): part of the cache key.
   */
  readonly identity: readonly string[];
  /** Values that must never appear in a message (secrets in this strategy's config). */
  readonly secrets?: readonly string[];
  /** Build one attempt's request: called again for every retry (a fresh assertion each time). */
  prepareTokenRequest(request: TokenRequest, context: TokenCallContext): void | Promise<void>;
  /** Look at a successful or failed token response before core parses it (e.g. compare an echoed header). */
  inspectTokenResponse?(response: HttpResponse, request: TokenRequest, context: TokenCallContext): void;
  /** Read a non-standard success body into RFC 6749 §5.1 shape before core parses it. */
  normalizeTokenResponse?(body: Record<string, unknown>): Record<string, unknown>;
  /**
   * Reads the whole answer in place of core's RFC 6749 §5.1/§5.2 reader, for endpoints whose success
   * and error bodies are not OAuth's (SNAP BI's `responseCode`). Returns the token, or throws the
   * typed error the answer calls for: a `TokenEndpointError` whose `retryable` drives core's retries,
   * or a `ResponseFormatError`. `accessTokenFrom` builds the token with core's checks
   * (`expiresIn` as a number or numeric string, token type normalised); `context.scrub` masks
   * secrets in server text. When absent, core's reader (with `normalizeTokenResponse`) is used.
   */
  readTokenResponse?(response: HttpResponse, context: TokenResponseContext): AccessToken;
  /**
   * After a failed attempt that core would not retry: may fix what caused it (re-discover, adjust
   * for clock skew, try the next variant of an adaptive setting) and answer true to have core try
   * once more. Answers true at most `maxRecoveries` times per fetch. It may instead throw, to end
   * the fetch with that error (an adapting strategy rethrows the first, standard rejection).
   */
  recover?(error: FinauthError, context: TokenCallContext): boolean | Promise<boolean>;
  /**
   * How many times `recover` may send the fetch round again (default 1; core caps it at
   * MAX_RECOVERIES). A strategy whose settings adapt counts its fixed recoveries plus its variants.
   */
  readonly maxRecoveries?: number;
  /** Headers for every resource call made through `http()` (FAPI: a fresh x-fapi-interaction-id). */
  resourceHeaders?(): Record<string, string>;
  /**
   * Headers that depend on the resource request itself and the token sent with it, built anew for
   * each request, resends included: a DPoP proof naming the method and URL and hashing the token
   * (RFC 9449 §7).
   */
  resourceRequestHeaders?(request: ResourceRequest): Record<string, string> | Promise<Record<string, string>>;
  /**
   * Sees every resource response (status and headers; a DPoP server may send a new nonce on any).
   * Answers true to have `http()` send the request once more, with fresh `resourceRequestHeaders`
   * and the same token: a server that asked for a proof with its nonce (RFC 9449 §9). At most once
   * per request.
   */
  resourceResponse?(response: ResourceResponse): boolean;
  /**
   * Tokens only this process can use (bound to a key that exists in this process alone, e.g. a
   * DPoP key generated at start): kept in a cache of the provider's own, never in a shared one.
   */
  readonly processLocalTokens?: boolean;
  close?(): void | Promise<void>;
}

/** A resource request `http()` is about to send. */
export interface ResourceRequest {
  readonly method: string;
  /** Absolute URL, as it will be sent. */
  readonly url: string;
  readonly token: AccessToken;
}

/** What a resource answered (any status). */
export interface ResourceResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/**
 * What a strategy package binds under STRATEGY_FACTORY. `configClass` validates the provider's
 * fields (class-validator); `create` checks what decorators cannot (a key fits its alg) and throws a
 * ConfigError with paths relative to the provider.
 */
export interface StrategyFactory<C extends ProviderConfig = ProviderConfig> {
  readonly kind: string;
  readonly configClass: ProviderConfigClass<C>;
  /** Extra TLS requirements for every connection of this strategy's providers. */
  tlsPolicy?(config: C): TlsPolicy;
  create(config: C, context: StrategyContext): Strategy;
}
