import type { TokenRequest } from '@finauth/core';
import { formUrlEncode } from '../secret/basicCredentials.js';
import type { ClientAuthentication } from './ClientAuthentication.js';
import { FixedAuthentication } from './FixedAuthentication.js';

/**
 * Where client_secret_post's two parameters travel. `body` is RFC 6749 §2.3.1. `query` is a
 * deviation some STET banks document (BPCE: `POST /psd2/oauth/token?client_id=…&scope=…`): the
 * RFC says these parameters "MUST NOT be included in the request URI", so it is never the default
 * and never chosen by adaptation; a provider opts in per config line.
 */
export const CREDENTIAL_PLACEMENTS = ['body', 'query'] as const;
export type CredentialPlacement = (typeof CREDENTIAL_PLACEMENTS)[number];

/**
 * client_secret_post: `client_id` and `client_secret` as form parameters, in the body (RFC 6749
 * §2.3.1) or, for a bank that reads only the URL, in the token request's query. A secret in a URL
 * is what servers, proxies and HTTP libraries log: finauth never renders that URL (core drops the
 * query from every message, log line and span attribute), and the attempt lists every encoded form
 * of the secret so any server echo of it is masked too.
 * @see RFC 6749 §2.3.1, §3.2
 */
export class ClientSecretPost extends FixedAuthentication implements ClientAuthentication {
  readonly method = 'client_secret_post' as const;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    readonly placement: CredentialPlacement = 'body',
  ) {
    super();
    Object.defineProperty(this, 'clientSecret', { enumerable: false });
  }

  apply(request: TokenRequest): Promise<void> {
    delete request.headers['authorization'];
    if (this.placement === 'body') {
      request.body.set('client_id', this.clientId);
      request.body.set('client_secret', this.clientSecret);
      return Promise.resolve();
    }
    // RFC 6749 §3.2: a parameter is sent once; in the query, so not in the body as well.
    request.body.delete('client_id');
    request.body.delete('client_secret');
    const url = new URL(request.url);
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('client_secret', this.clientSecret);
    request.url = url.href;
    // Not form values any more: named so the pipeline masks them in whatever this attempt leads to.
    (request.credentials ??= []).push(this.clientSecret, formUrlEncode(this.clientSecret), encodeURIComponent(this.clientSecret), url.search.slice(1));
    return Promise.resolve();
  }
}
