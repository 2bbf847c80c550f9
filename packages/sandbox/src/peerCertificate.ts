import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/**
 * The client certificate of a TLS connection, only if the server's CA verified it: an
 * unverified certificate must neither authenticate a client nor bind a token.
 */
export function verifiedPeerCertificate(socket: TLSSocket): X509Certificate | undefined {
  if (!socket.authorized) return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return undefined;
  return new X509Certificate(peer.raw);
}

/** RFC 8705 §3.1: `x5t#S256` is the base64url SHA-256 of the DER certificate. */
export function certificateThumbprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/**
 * Compares a subject DN as registered (`tls_client_auth_subject_dn`, RFC 4514 string such as
 * "CN=x,O=y") with a certificate's subject, attribute by attribute and regardless of order —
 * the sandbox's DNs contain no escaped separators.
 */
export function subjectDnMatches(cert: X509Certificate, expected: string): boolean {
  const actual = normaliseDn(cert.subject.split('\n'));
  return actual === normaliseDn(expected.split(','));
}

function normaliseDn(parts: string[]): string {
  return parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const i = part.indexOf('=');
      return `${part.slice(0, i).trim().toUpperCase()}=${part.slice(i + 1).trim()}`;
    })
    .sort()
    .join(',');
}
