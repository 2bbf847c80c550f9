import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { openTunnel } from './openTunnel.js';
import type { ProxyEndpoint } from './ProxyEndpoint.js';

/**
 * A provider's keep-alive agent when it goes through an egress proxy: each new connection is a
 * `CONNECT` tunnel through the proxy, then TLS over it with the provider's own SecureContext (client
 * certificate, private CA, cipher policy) and the bank's host name, exactly as a direct connection.
 * Token calls, discovery and `http()` share it, so all three tunnel, and a tunnel is reused like any
 * keep-alive socket. Hosts the proxy does not apply to (NO_PROXY) connect directly.
 */
export class ProxyTunnelAgent extends Agent {
  readonly #proxy: ProxyEndpoint;
  readonly #connectTimeoutMs: number;
  readonly #opening = new Set<Socket>();

  constructor(options: AgentOptions, proxy: ProxyEndpoint, connectTimeoutMs: number) {
    super(options);
    this.#proxy = proxy;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  /** `http://host:port` of the proxy (no credentials). */
  get proxy(): string {
    return this.#proxy.display;
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    if (this.#proxy.bypasses(host, port) || !callback) return super.createConnection(options, callback);
    const track = (socket: Socket): void => {
      this.#opening.add(socket);
      socket.once('close', () => this.#opening.delete(socket));
    };
    openTunnel(this.#proxy, host, port, this.#connectTimeoutMs, track).then(
      (socket) => {
        this.#opening.delete(socket);
        // node:https's own TLS set-up (session reuse, SNI from the bank's host) over the tunnel.
        const tls = super.createConnection({ ...options, socket } as RequestOptions);
        if (tls) callback(null, tls);
      },
      (error: Error) => callback(error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  override destroy(): void {
    for (const socket of this.#opening) socket.destroy();
    this.#opening.clear();
    super.destroy();
  }
}
