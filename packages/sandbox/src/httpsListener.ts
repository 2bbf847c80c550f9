import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Lifecycle } from './lifecycle.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
}

/**
 * How a listener treats client certificates:
 * - `none`: not requested;
 * - `requested`: requested, the connection may go on without one, but a certificate that fails
 *   verification (expired, unknown CA) ends the connection before any request is read;
 * - `required`: the TLS handshake fails without a certificate the CA verifies;
 * - `any`: requested, and kept even when the CA does not verify it (a self-signed certificate,
 *   RFC 8705 §2.2): the server decides per client what it accepts.
 */
export type ClientCertPolicy = 'none' | 'requested' | 'required' | 'any';

export interface HttpsListener {
  server: Server;
  port: number;
  /** https://127.0.0.1:PORT */
  origin: string;
}

/** Starts an HTTPS server on 127.0.0.1 and a free port. */
export async function listenHttps(
  tls: TlsMaterial,
  clientCerts: ClientCertPolicy,
  handler: RequestHandler,
  lifecycle: Lifecycle,
): Promise<HttpsListener> {
  const options: ServerOptions = {
    key: tls.key,
    cert: tls.cert,
    ca: tls.ca,
    minVersion: 'TLSv1.2',
    requestCert: clientCerts !== 'none',
    rejectUnauthorized: clientCerts === 'required',
  };
  const server = createServer(options, (req, res) => {
    handler(req, res).catch((err: unknown) => {
      // A handler bug must still answer, or the client would hang until its timeout.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error', error_description: String(err) }));
      } else {
        res.destroy();
      }
    });
  });
  if (clientCerts === 'requested') {
    server.on('secureConnection', (socket: TLSSocket) => {
      // A presented certificate that does not verify is refused, like a FAPI AS would; only the
      // absence of a certificate is tolerated (so discovery is readable by plain clients).
      const peer = socket.getPeerCertificate();
      if (!socket.authorized && peer && Object.keys(peer).length > 0) socket.destroy();
    });
  }
  // Keep-alive sockets of finished tests must not keep the process alive longer than needed.
  server.keepAliveTimeout = 2000;
  lifecycle.track(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, port, origin: `https://127.0.0.1:${port}` };
}
