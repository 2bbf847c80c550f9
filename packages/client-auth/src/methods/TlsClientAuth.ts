import type { TokenRequest } from '@finauth/core';
import type { ClientAuthentication } from './ClientAuthentication.js';

/**
 * tls_client_auth: the client certificate presented in the TLS handshake proves who the client is;
 * the body carries only `client_id` (the strategy adds it) and no assertion or secret.
 * @see RFC 8705 §2, §2.1.1
 */
export class TlsClientAuth implements ClientAuthentication {
  readonly method = 'tls_client_auth' as const;

  apply(request: TokenRequest): Promise<void> {
    // Nothing to add, and nothing a misconfigured caller may have put there either.
    request.body.delete('client_assertion');
    request.body.delete('client_assertion_type');
    request.body.delete('client_secret');
    return Promise.resolve();
  }
}
