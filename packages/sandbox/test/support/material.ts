import { readFileSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import type { ClientCertName, Sandbox } from '../../src/index.js';
import type { CallTls } from './httpsCall.js';

/** TLS options for a request: the sandbox CA, plus a client certificate when `client` is given. */
export function tlsFor(sandbox: Sandbox, client?: ClientCertName): CallTls {
  const ca = readFileSync(sandbox.pki.caCert, 'utf8');
  if (!client) return { ca };
  const files = sandbox.pki.clients[client];
  return { ca, cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8') };
}

/** RFC 8705 x5t#S256 of a client certificate file, computed independently of the sandbox. */
export function thumbprintOf(certPath: string): string {
  const cert = new X509Certificate(readFileSync(certPath));
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** RFC 6749 §2.3.1 / Appendix B form-urlencoding of a Basic credential part. */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

export function basicHeader(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}
