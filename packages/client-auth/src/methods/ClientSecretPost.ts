import type { TokenRequest } from '@finauth/core';
import type { ClientAuthentication } from './ClientAuthentication.js';
import { FixedAuthentication } from './FixedAuthentication.js';

/**
 * client_secret_post: `client_id` and `client_secret` in the form body. RFC 6749 prefers Basic;
 * some servers (and some STET banks) only read the body.
 * @see RFC 6749 §2.3.1
 */
export class ClientSecretPost extends FixedAuthentication implements ClientAuthentication {
  readonly method = 'client_secret_post' as const;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {
    super();
    Object.defineProperty(this, 'clientSecret', { enumerable: false });
  }

  apply(request: TokenRequest): Promise<void> {
    delete request.headers['authorization'];
    request.body.set('client_id', this.clientId);
    request.body.set('client_secret', this.clientSecret);
    return Promise.resolve();
  }
}
