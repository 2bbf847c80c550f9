import type { FinauthError, HttpResponse, Strategy, TokenCallContext, TokenRequest } from '@finauth/core';
import { ClientSecretBasic, formUrlEncode, type CredentialEncodingSetting } from '@finauth/client-auth';

/** What the strategy needs, already validated and resolved (see clientSecretBasicFactory). */
export interface BasicClient {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `auto` (the default): RFC 6749's encoding first, raw after an authentication rejection. */
  readonly credentialEncoding: CredentialEncodingSetting;
}

/**
 * Client authentication with HTTP Basic: the only thing it adds to a token request is the
 * `Authorization` header, and only to the configured token endpoint. Resource calls (`http()`)
 * carry the Bearer token core puts there, never these credentials (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials": "should never be
 * submitted to any API other than the OAuth /token endpoint").
 * @see RFC 6749 §2.3.1
 */
export class ClientSecretBasicStrategy implements Strategy {
  readonly authMethod = 'client_secret_basic';
  readonly identity: readonly string[];
  readonly maxRecoveries: number;
  private readonly tokenEndpoint: string;
  // Private fields, so that logging or serialising the strategy shows no credential.
  readonly #auth: ClientSecretBasic;
  readonly #secrets: readonly string[];

  constructor(client: BasicClient) {
    this.tokenEndpoint = client.tokenEndpoint;
    this.identity = Object.freeze([client.tokenEndpoint, client.clientId, client.credentialEncoding]);
    this.#auth = new ClientSecretBasic(client.clientId, client.clientSecret, client.credentialEncoding, 'credentialEncoding');
    this.maxRecoveries = this.#auth.recoveries;
    // The secret in every form it travels in: a server echoing any of them must not leak it.
    this.#secrets = Object.freeze([...new Set([client.clientSecret, formUrlEncode(client.clientSecret), ...this.#auth.credentials])]);
  }

  get secrets(): readonly string[] {
    return this.#secrets;
  }

  prepareTokenRequest(request: TokenRequest, context: TokenCallContext): Promise<void> {
    request.url = this.tokenEndpoint;
    return this.#auth.apply(request, { fetch: context.fetch });
  }

  inspectTokenResponse(response: HttpResponse, _request: TokenRequest, context: TokenCallContext): void {
    if (response.status >= 200 && response.status < 300) this.#auth.accepted(context);
  }

  /** An authentication rejection: the other Basic encoding, once (the same URL, the same secret). */
  recover(error: FinauthError, context: TokenCallContext): boolean {
    return this.#auth.recover(error, context);
  }
}
