/**
 * What a TLS failure means for the user, from Node's error code. The two sides fail differently:
 * this client refusing the server's certificate (trust, host name) is fixed in `tls.ca` or the
 * URL; the server refusing the client certificate (an alert, or a reset after the handshake in
 * TLS 1.3, where the server checks the client certificate after the client has finished) is fixed
 * with the bank: which certificate is registered, which CA issued it.
 */
export type TlsFailureSide = 'unreachable' | 'server-certificate' | 'client-certificate' | 'protocol' | 'other';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SERVER_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Alerts a server sends about the certificate it was given (RFC 8446 §6.2). */
const CLIENT_CERTIFICATE_ALERT = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|ACCESS_DENIED|DECRYPT_ERROR)$/;

export function tlsFailureSide(code: string, afterHandshake: boolean): TlsFailureSide {
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (SERVER_CERTIFICATE.has(code)) return 'server-certificate';
  if (CLIENT_CERTIFICATE_ALERT.test(code)) return 'client-certificate';
  // The handshake completed on our side, then the server hung up: TLS 1.3 servers reject a client
  // certificate exactly like this.
  if (afterHandshake && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'closed')) return 'client-certificate';
  if (/^ERR_SSL_/.test(code)) return 'protocol';
  return 'other';
}

export const TLS_HINTS: Record<TlsFailureSide, string> = {
  'unreachable': 'the host does not answer: check the URL, the port and the network path (firewall, allow-listed egress IP)',
  'server-certificate': "this client does not trust the server's certificate: add the bank's CA to tls.ca, and check the host name in the URL matches the certificate",
  'client-certificate': 'the server rejected the client certificate: check tls.cert is the certificate registered with the bank, issued by a CA the bank trusts, and not expired',
  'protocol': 'no common TLS version or cipher suite: the server may offer only what this strategy refuses (TLS 1.2+, AEAD suites)',
  'other': 'run with --verbose, and compare with `openssl s_client -connect host:port -cert tls.cert -key tls.key`',
};
