import { randomUUID } from 'node:crypto';
import type { DiscoveryCache, FinauthError, HttpResponse, ResourceRequest, ResourceResponse, Strategy, TokenCallContext, TokenRequest } from '@finauth/core';
import type { ClientAuthentication, DpopBinding } from '@finauth/client-auth';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';

export interface Oauth2StrategySettings {
  readonly clientId: string;
  /** Configured: discovery is skipped. */
  readonly tokenEndpoint?: string | undefined;
  readonly discovery?: DiscoveryCache | undefined;
  /** The provider presents a client certificate: the metadata's mTLS alias is used when there is one (RFC 8705 §5). */
  readonly mtls: boolean;
  readonly auth: ClientAuthentication;
  /** `extraParams` and `resource`, in order: added to every token request. */
  readonly params: readonly (readonly [string, string])[];
  readonly interactionId: boolean;
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  /** DPoP (RFC 9449), when the provider asks for it. */
  readonly dpop?: DpopBinding | undefined;
  /** Releases a signer the config declared (`"signer": { "type": ... }`): this provider opened it, so it closes it. */
  readonly closeSigner?: (() => Promise<void>) | undefined;
}

/**
 * Client credentials at any OAuth 2.0 / OpenID server: the token endpoint from discovery (or
 * given), one of the six client authentication methods (shared with the other strategies through
 * @finauth/client-auth), the profile's parameters and headers.
 * @see RFC 6749 §4.4, RFC 8414, RFC 8707
 */
export class Oauth2Strategy implements Strategy {
  readonly authMethod: string;
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  /** A rediscovery once per fetch, plus the client authentication's variants. */
  readonly maxRecoveries: number;
  readonly processLocalTokens: boolean;

  constructor(private readonly settings: Oauth2StrategySettings) {
    this.authMethod = settings.auth.method;
    this.identity = settings.identity;
    this.secrets = settings.secrets;
    this.maxRecoveries = 1 + (settings.dpop ? 1 : 0) + settings.auth.recoveries;
    this.processLocalTokens = settings.dpop?.processLocalTokens ?? false;
    Object.defineProperty(this, 'secrets', { enumerable: false });
  }

  async prepareTokenRequest(request: TokenRequest, context: TokenCallContext): Promise<void> {
    const { settings } = this;
    const metadata = settings.tokenEndpoint === undefined ? (settings.discovery!.fresh() ?? (await settings.discovery!.get(context.signal, context.transport))).metadata : undefined;
    // RFC 8705 §5: a client using mutual TLS posts to the alias; any other client to token_endpoint.
    const tokenEndpoint = settings.tokenEndpoint ?? (settings.mtls ? metadata!.tokenEndpoint : (metadata!.plainTokenEndpoint ?? metadata!.tokenEndpoint));
    request.url = tokenEndpoint;
    if (settings.interactionId) request.headers[INTERACTION_ID_HEADER] = randomUUID();
    for (const [name, value] of settings.params) request.body.append(name, value);
    // RFC 6749 §2.3.1 / RFC 7523 §3 / RFC 8705 §2.1.1: client_id in the body for every method but Basic (the method removes it).
    request.body.set('client_id', settings.clientId);
    await settings.auth.apply(request, {
      nowSeconds: Math.floor(context.clock.now() / 1000),
      tokenEndpoint,
      nonAliasTokenEndpoint: metadata?.viaMtlsAlias && tokenEndpoint !== metadata.plainTokenEndpoint ? metadata.plainTokenEndpoint : undefined,
      fetch: context.fetch,
    });
    await settings.dpop?.addProof(request);
  }

  inspectTokenResponse(response: HttpResponse, request: TokenRequest, context: TokenCallContext): void {
    this.settings.dpop?.inspect(response, request, context.providerId);
    if (response.status >= 200 && response.status < 300) this.settings.auth.accepted(context);
  }

  recover(error: FinauthError, context: TokenCallContext): boolean {
    if (this.settings.dpop?.answersNonceChallenge(error, context.fetch)) return true;
    if (this.settings.discovery?.forgetAfter(error, context.fetch)) {
      context.logger.info('token request failed; discovering the token endpoint again', { providerId: context.providerId, code: error.code });
      return true;
    }
    return this.settings.auth.recover(error, context);
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
    // A signer the config declared (HSM sessions, a login) is this provider's to release, as fapi2 does.
    await this.settings.closeSigner?.();
  }
}
