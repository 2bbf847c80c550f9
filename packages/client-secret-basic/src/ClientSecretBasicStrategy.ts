import type { Strategy, TokenRequest } from '@finauth/core';
import { basicCredentials, formUrlEncode, type CredentialEncoding } from '@finauth/client-auth';

/** What the strategy needs, already validated and resolved (see clientSecretBasicFactory). */
export interface BasicClient {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly credentialEncoding: CredentialEncoding;
}

/**
 * Client authentication with HTTP Basic: the only thing it adds to a token request is the
 * `Authorization` header, and only to the configured token endpoint. Resource calls (`http()`)
 * carry the Bearer token core puts there, never these credentials (seed 002: "should never be
 * submitted to any API other than the OAuth /token endpoint").
 * @see RFC 6749 §2.3.1
 */
export class ClientSecretBasicStrategy implements Strategy {
  readonly authMethod = 'client_secret_basic';
  readonly identity: readonly string[];
  readonly secrets: readonly string[];
  private readonly tokenEndpoint: string;
  private readonly authorization: string;

  constructor(client: BasicClient) {
    this.tokenEndpoint = client.tokenEndpoint;
    this.identity = Object.freeze([client.tokenEndpoint, client.clientId, client.credentialEncoding]);
    const credentials = basicCredentials(client.clientId, client.clientSecret, client.credentialEncoding);
    this.authorization = `Basic ${credentials}`;
    // The secret in every form it travels in: a server echoing any of them must not leak it.
    this.secrets = Object.freeze([...new Set([client.clientSecret, formUrlEncode(client.clientSecret), credentials])]);
    // Kept off enumeration so that logging or serialising the strategy shows no credential.
    for (const name of ['authorization', 'secrets'] as const) Object.defineProperty(this, name, { enumerable: false });
  }

  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.tokenEndpoint;
    // One authentication method per request (RFC 6749 §2.3): no client_id/client_secret in the body.
    request.body.delete('client_id');
    request.body.delete('client_secret');
    request.headers['authorization'] = this.authorization;
  }
}
