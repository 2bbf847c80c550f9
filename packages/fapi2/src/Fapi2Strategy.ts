import {
  ConfigError,
  TokenEndpointError,
  tokenEndpointError,
  type DiscoveredMetadata,
  type DiscoveryCache,
  type FinauthError,
  type HttpResponse,
  type ResourceRequest,
  type ResourceResponse,
  type Strategy,
  type StrategyContext,
  type TelemetryEvent,
  type TokenCallContext,
  type TokenRequest,
} from '@finauth/core';
import type { ClientAuthentication, DpopBinding } from '@finauth/client-auth';
import { buildFapiHeaders, CALL_OPTION_KEYS, INTERACTION_ID_HEADER, newInteractionId, PROVIDER_HEADER_PATHS, sameInteractionId, type FapiHeaderValues } from './headers/fapiHeaders.js';
import { ServerClock } from './time/ServerClock.js';

function isEmpty(options: Readonly<Record<string, unknown>>): boolean {
  for (const key in options) if (options[key] !== undefined) return false;
  return true;
}

export interface Fapi2StrategySettings {
  readonly issuer: string;
  readonly clientId: string;
  /** Configured: discovery is skipped. */
  readonly tokenEndpoint?: string;
  readonly discovery?: DiscoveryCache;
  readonly auth: ClientAuthentication;
  /** Provider-level optional FAPI headers, already checked. */
  readonly fapiHeaders: FapiHeaderValues;
  /** The same values as headers, built once at creation: what a call without `strategyOptions` sends. */
  readonly providerHeaders: Readonly<Record<string, string>>;
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  /** Releases a signer built from the config (e.g. an HSM session); absent for programmatic signers, which their owner closes. */
  readonly closeSigner?: () => Promise<void>;
  /** DPoP (RFC 9449), when the provider asks for it. */
  readonly dpop?: DpopBinding;
}

/**
 * FAPI 2.0 client credentials as Open Finance Malaysia runs them (the OFM developer portal, Section 4, and the OFP token endpoint OpenAPI description): mTLS on every
 * request (the provider's transport), the token endpoint from discovery, private_key_jwt or
 * tls_client_auth, a fresh x-fapi-interaction-id per request.
 */
export class Fapi2Strategy implements Strategy {
  readonly authMethod: string;
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  readonly serverClock: ServerClock;
  /** Rediscovery and the clock-skew retry, once each per fetch, plus the client authentication's variants. */
  readonly maxRecoveries: number;
  /** The fetches that used the clock-skew retry (once each); made on first use (a thousand providers that never need it). */
  private clockAdopted: WeakSet<object> | undefined;

  constructor(
    private readonly settings: Fapi2StrategySettings,
    private readonly context: StrategyContext,
  ) {
    this.authMethod = settings.auth.method;
    this.identity = settings.identity;
    this.secrets = settings.secrets;
    this.serverClock = new ServerClock(context.clock);
    this.processLocalTokens = settings.dpop?.processLocalTokens ?? false;
    // Rediscovery, the clock-skew retry and a DPoP nonce challenge once each, plus the audience variants.
    this.maxRecoveries = 2 + (settings.dpop ? 1 : 0) + settings.auth.recoveries;
  }

  readonly processLocalTokens: boolean;

  prepareTokenRequest(request: TokenRequest, context: TokenCallContext): Promise<void> {
    const extra = this.headersFor(context.options);
    if (this.settings.tokenEndpoint !== undefined) return this.prepare(request, context, extra, undefined);
    // A held discovery answer is used without waiting a turn; prepare() is not an async function
    // either: each promise job between caller and bank is measurable (docs/performance.md).
    const held = this.settings.discovery!.fresh();
    if (held) return this.prepare(request, context, extra, held.metadata);
    return this.settings.discovery!.get(context.signal, context.transport).then((found) => this.prepare(request, context, extra, found.metadata));
  }

  private prepare(request: TokenRequest, context: TokenCallContext, extra: Readonly<Record<string, string>>, metadata: DiscoveredMetadata | undefined): Promise<void> {
    const tokenEndpoint = this.settings.tokenEndpoint ?? metadata!.tokenEndpoint;
    request.url = tokenEndpoint;
    // The OFP token endpoint OpenAPI description: an RFC 4122 correlation id on every request, new for every attempt.
    request.headers[INTERACTION_ID_HEADER] = newInteractionId();
    for (const name in extra) request.headers[name] = extra[name]!;
    // The OFM developer portal (Section 4) sends client_id in the body for both methods (RFC 8705 §2.1.1 requires it for tls_client_auth).
    request.body.set('client_id', this.settings.clientId);
    const applied = this.settings.auth.apply(request, {
      nowSeconds: Math.floor(this.serverClock.now() / 1000),
      tokenEndpoint,
      nonAliasTokenEndpoint: metadata?.viaMtlsAlias ? metadata.plainTokenEndpoint : undefined,
      fetch: context.fetch,
    });
    const { dpop } = this.settings;
    return dpop ? applied.then(() => dpop.addProof(request)) : applied;
  }

  inspectTokenResponse(response: HttpResponse, request: TokenRequest, context: TokenCallContext): void {
    this.settings.dpop?.inspect(response, request, context.providerId);
    const receivedAt = context.clock.now();
    this.serverClock.observe(response.headers['date'], receivedAt);
    const sent = request.headers[INTERACTION_ID_HEADER];
    const echoed = response.headers[INTERACTION_ID_HEADER];
    if (sent && echoed !== undefined && !sameInteractionId(sent, echoed)) {
      // The OFP token endpoint OpenAPI description: the server echoes the id; a different one means a proxy or the server mixed up correlation.
      this.emit({ name: 'fapi2.interaction_id_mismatch', providerId: context.providerId, attributes: { sent, received: echoed.slice(0, 100) } }, context);
      context.logger.warn('x-fapi-interaction-id in the token response differs from the one sent', { providerId: context.providerId, sent, received: echoed.slice(0, 100) });
    }
    const ok = response.status >= 200 && response.status < 300;
    if (ok) {
      this.serverClock.settle();
      this.settings.auth.accepted(context);
      return;
    }
    // Every TokenEndpointError carries an interaction id: the echoed one, else the one sent.
    const missingId = echoed === undefined && sent !== undefined;
    // A server that echoes the assertion back would have it in the error; core masks whole values
    // only after truncating server text, so mask it here, before parsing.
    const assertion = request.body.get('client_assertion');
    const echoesAssertion = assertion !== null && response.body.includes(assertion);
    if (missingId || echoesAssertion) {
      const body = echoesAssertion ? response.body.split(assertion).join('[REDACTED]') : response.body;
      const headers = missingId ? { ...response.headers, [INTERACTION_ID_HEADER]: sent } : response.headers;
      throw tokenEndpointError({ status: response.status, headers, body }, { providerId: context.providerId, receivedAt });
    }
  }

  recover(error: FinauthError, context: TokenCallContext): boolean {
    // RFC 9449 §8: one nonce challenge is answered per fetch; a second one is an error, not a loop.
    if (this.settings.dpop?.answersNonceChallenge(error, context.fetch)) return true;
    // The endpoint may have moved: forget the metadata and discover again (once per fetch).
    if (this.settings.discovery?.forgetAfter(error, context.fetch)) {
      this.emit({ name: 'fapi2.rediscover', providerId: context.providerId, attributes: { code: error.code } }, context);
      context.logger.info('token request failed; discovering the token endpoint again', { providerId: context.providerId, code: error.code });
      return true;
    }
    if (this.settings.auth.method === 'private_key_jwt' && TokenEndpointError.is(error) && (error.status === 400 || error.status === 401) && !this.clockAdopted?.has(context.fetch)) {
      const offsetMs = this.serverClock.adopt();
      if (offsetMs !== undefined) {
        (this.clockAdopted ??= new WeakSet()).add(context.fetch);
        this.emit({ name: 'fapi2.clock_offset', providerId: context.providerId, attributes: { offsetMs: Math.round(offsetMs) } }, context);
        context.logger.warn('client assertion rejected and the server clock differs from ours; retrying with assertions dated by the server clock', { providerId: context.providerId, offsetMs: Math.round(offsetMs) });
        return true;
      }
    }
    // Last: the client authentication's next variant (the assertion audience), or its first rejection once all are refused.
    return this.settings.auth.recover(error, context);
  }

  /** FAPI: every resource call gets its own correlation id. */
  resourceHeaders(): Record<string, string> {
    return { [INTERACTION_ID_HEADER]: newInteractionId() };
  }

  /** DPoP: a proof per resource request, with `ath` (RFC 9449 §7). */
  resourceRequestHeaders(request: ResourceRequest): Record<string, string> | Promise<Record<string, string>> {
    return this.settings.dpop ? this.settings.dpop.resourceRequestHeaders(request) : {};
  }

  /** DPoP: the resource's nonces, and one resend when it asks for a proof with its nonce (RFC 9449 §9). */
  resourceResponse(response: ResourceResponse): boolean {
    return this.settings.dpop?.resourceResponse(response) ?? false;
  }

  async close(): Promise<void> {
    this.settings.discovery?.invalidate();
    // A signer the config declared (HSM sessions, a login) is this provider's to release.
    await this.settings.closeSigner?.();
  }

  /** Provider-level FAPI headers overridden by the call's `strategyOptions`; unknown options are a mistake worth reporting. */
  private headersFor(options: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
    // No per-call options (the usual case): the provider's headers, built at creation.
    if (isEmpty(options)) return this.settings.providerHeaders;
    const values: Record<string, unknown> = { ...this.settings.fapiHeaders };
    const issues: { path: string; message: string }[] = [];
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      const target = (CALL_OPTION_KEYS as Record<string, keyof FapiHeaderValues | undefined>)[key];
      if (target === undefined) issues.push({ path: `strategyOptions.${key}`, message: `unknown fapi2 option; known: ${Object.keys(CALL_OPTION_KEYS).join(', ')}` });
      else values[target] = value;
    }
    const built = buildFapiHeaders(values as FapiHeaderValues, {
      authDate: options['fapiAuthDate'] !== undefined ? 'strategyOptions.fapiAuthDate' : PROVIDER_HEADER_PATHS.authDate,
      customerIpAddress: options['fapiCustomerIpAddress'] !== undefined ? 'strategyOptions.fapiCustomerIpAddress' : PROVIDER_HEADER_PATHS.customerIpAddress,
      customerUserAgent: options['fapiCustomerUserAgent'] !== undefined ? 'strategyOptions.fapiCustomerUserAgent' : PROVIDER_HEADER_PATHS.customerUserAgent,
    });
    issues.push(...built.issues);
    if (issues.length > 0) throw new ConfigError(issues, { providerId: this.context.providerId });
    return built.headers;
  }

  /** Through the attempt's telemetry: a traced attempt records the event on its span too. */
  private emit(event: TelemetryEvent, context: TokenCallContext): void {
    try {
      context.telemetry.emit(event);
    } catch {
      // Telemetry must never break token acquisition.
    }
  }
}
