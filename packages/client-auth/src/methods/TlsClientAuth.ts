import type { TokenRequest } from '@finauth/core';
import type { ClientAuthentication } from './ClientAuthentication.js';
import { FixedAuthentication } from './FixedAuthentication.js';

/**
 * tls_client_auth and self_signed_tls_client_auth: the client certificate presented in the TLS
 * handshake proves who the client is (a CA-issued certificate matched by subject, or a
 * self-signed one matched by its registered key); the body carries only `client_id` (the strategy
 * adds it) and no assertion or secret. The two differ at the server only.
 * @see RFC 8705 §2, §2.1.1, §2.2
 */
export class TlsClientAuth extends FixedAuthentication implements ClientAuthentication {
  constructor(readonly method: 'tls_client_auth' | 'self_signed_tls_client_auth' = 'tls_client_auth') {
    super();
  }

  apply(request: TokenRequest): Promise<void> {
    // Nothing to add, and nothing a misconfigured caller may have put there either.
    request.body.delete('client_assertion');
    request.body.delete('client_assertion_type');
    request.body.delete('client_secret');
    return Promise.resolve();
  }
}
