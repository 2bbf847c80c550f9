import { NoProxy } from './NoProxy.js';

/**
 * An HTTP egress proxy that finauth tunnels through with `CONNECT`: the TLS session to the bank
 * runs inside the tunnel, end to end, so the proxy sees the bank's host and port and nothing else.
 * The credentials live in a private field: `util.inspect` and `JSON.stringify` of an agent or of
 * its options never print them.
 * @see RFC 9110 §9.3.6 (CONNECT), RFC 9110 §11.7.1 (Proxy-Authorization), RFC 7617 (Basic)
 */
export class ProxyEndpoint {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, never with credentials: what messages and doctor show. */
  readonly display: string;
  readonly #authorization: string | undefined;
  readonly #password: string | undefined;
  readonly #bypass: NoProxy | undefined;

  constructor(settings: { host: string; port: number; username?: string; password?: string; noProxy?: string }) {
    this.host = settings.host;
    this.port = settings.port;
    this.display = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
    this.#authorization =
      settings.username !== undefined || settings.password !== undefined ? `Basic ${Buffer.from(`${settings.username ?? ''}:${settings.password ?? ''}`, 'utf8').toString('base64')}` : undefined;
    this.#password = settings.password;
    this.#bypass = settings.noProxy ? new NoProxy(settings.noProxy) : undefined;
  }

  /**
   * What a redactor masks for this proxy: the password (as given and percent-encoded, the way a
   * URL carries it) and the Proxy-Authorization value. The proxy URL itself is not a secret and is
   * named in messages (`display`).
   */
  secretValues(): string[] {
    const password = this.#password;
    return [...(password ? [password, encodeURIComponent(password)] : []), ...(this.#authorization ? [this.#authorization.slice('Basic '.length)] : [])];
  }

  /** True when `host:port` is reached directly (NO_PROXY). */
  bypasses(host: string, port: number): boolean {
    return this.#bypass?.matches(host, port) ?? false;
  }

  /** True when the proxy is given credentials. */
  get authenticates(): boolean {
    return this.#authorization !== undefined;
  }

  /** The request head asking the proxy for a tunnel to `host:port`. */
  connectRequest(host: string, port: number): string {
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const auth = this.#authorization ? `Proxy-Authorization: ${this.#authorization}\r\n` : '';
    return `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`;
  }

  toJSON(): Record<string, unknown> {
    return { proxy: this.display, authenticates: this.authenticates };
  }
}
