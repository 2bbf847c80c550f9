import type { Strategy, TokenRequest } from '@finauth/core';
import type { MyBankConfig } from './MyBankConfig.js';

/**
 * How this bank authenticates a client: the credentials in the form body (client_secret_post).
 * Only what differs between banks lives here; caching, retries, parsing and redaction are core's.
 * @see RFC 6749 §2.3.1
 */
export class MyBankStrategy implements Strategy {
  readonly authMethod = 'client_secret_post';
  /** What changes which token the bank issues: part of the cache key. */
  readonly identity: readonly string[];
  /** Never printed in an error or log (core also masks every @SecretRef value). */
  readonly secrets: readonly string[];

  constructor(private readonly config: MyBankConfig) {
    this.identity = [config.tokenEndpoint, config.clientId];
    this.secrets = [config.clientSecret];
  }

  /** Called for every attempt, retries included. */
  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.config.tokenEndpoint;
    request.body.set('client_id', this.config.clientId);
    request.body.set('client_secret', this.config.clientSecret);
    if (this.config.clientIdIn === 'both') request.headers['x-client-id'] = this.config.clientId;
  }
}
