import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import type { TlsPolicy } from '@finauth/core';
import { openTunnel, ProxyTunnelError, tlsAgentOptions, type ProxyEndpoint } from '@finauth/core/internal';
import { FAPI2_TLS_POLICY } from '@finauth/fapi2';
import { fail, pass, skip, type Check } from '../Check.js';
import { TLS_HINTS, tlsFailureSide } from '../tlsFailure.js';
import { proxyOf, rawField, resolvedTls, timeoutOf } from '../providerFields.js';

interface Handshake {
  readonly protocol: string;
  readonly cipher: string;
}

/** A failure, and whether it came after our side of the handshake had completed. */
class HandshakeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly afterHandshake: boolean,
  ) {
    super(message);
  }
}

/**
 * One TLS handshake with the options the provider's agent uses (same trust, policy, client
 * certificate), then one HTTP request on it: in TLS 1.3 the server checks the client certificate
 * only after the client has finished, so a rejection shows as an alert or a reset on first use.
 * Inside a CONNECT tunnel when the provider goes through an egress proxy, as its agent does.
 */
async function handshake(url: URL, options: ConnectionOptions, timeoutMs: number, proxy: ProxyEndpoint | undefined): Promise<Handshake> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const tunnel = proxy && !proxy.bypasses(host, port) ? await openTunnel(proxy, host, port, timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const socket = connect({ ...options, host, port, ...(tunnel ? { socket: tunnel } : {}), ...(isIP(host) ? {} : { servername: host }) });
    let done: Handshake | undefined;
    const finish = (error?: HandshakeFailure): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(done!);
    };
    const timer = setTimeout(() => finish(new HandshakeFailure('ETIMEDOUT', `no TLS handshake and answer within ${timeoutMs} ms`, done !== undefined)), timeoutMs);
    socket.once('secureConnect', () => {
      done = { protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher().name };
      socket.write(`HEAD ${url.pathname || '/'} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => {
      // Any HTTP answer (even 404 or 405) means the server accepted this TLS session.
      if (chunk.subarray(0, 5).toString('latin1') === 'HTTP/') finish();
      else finish(new HandshakeFailure('not-http', 'the server answered something that is not HTTP', true));
    });
    socket.once('end', () => finish(new HandshakeFailure('closed', 'the server closed the connection without an answer', done !== undefined)));
    socket.once('error', (error: Error & { code?: string }) => finish(new HandshakeFailure(error.code ?? 'error', error.message, done !== undefined)));
  });
}

export const tlsHandshake: Check = {
  name: 'TLS handshake',
  async run(provider) {
    // Before discovery, on the issuer's host (or the configured token endpoint): a TLS problem is
    // named here, once, instead of as a discovery and a token failure.
    const target = rawField(provider, 'tokenEndpoint') ?? rawField(provider, 'issuer');
    if (typeof target !== 'string') return skip('no token endpoint or issuer to connect to');
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return fail('the token endpoint is not a URL', 'give an https URL');
    }
    const policy: TlsPolicy = provider.raw['strategy'] === 'fapi2' ? FAPI2_TLS_POLICY : {};
    const agent = tlsAgentOptions({ providerId: provider.id, tls: resolvedTls(provider), policy, timeoutMs: 0, maxResponseBytes: 0 });
    const options: ConnectionOptions = { rejectUnauthorized: true };
    for (const name of ['secureContext', 'minVersion', 'ciphers', 'cert', 'key', 'passphrase', 'ca'] as const) {
      if (agent[name] !== undefined) Object.assign(options, { [name]: agent[name] });
    }
    const { proxy } = proxyOf(provider);
    const through = proxy && !proxy.bypasses(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 443)) ? ` (through ${proxy.display})` : '';
    try {
      const { protocol, cipher } = await handshake(url, options, timeoutOf(provider), proxy);
      return pass(`${url.host}: ${protocol}, ${cipher}, the server accepted this client${through}`);
    } catch (error) {
      const tunnelError = ProxyTunnelError.find(error);
      if (tunnelError) return fail(tunnelError.message, 'see the egress proxy check above');
      const e = error as HandshakeFailure;
      const side = tlsFailureSide(e.code, e.afterHandshake);
      const what = side === 'client-certificate' ? (e.afterHandshake ? 'the server rejected the client certificate after the handshake' : 'the server rejected the client certificate') : side === 'server-certificate' ? "the server's certificate is not trusted" : e.code;
      return fail(`${url.host}: ${what} (${e.code}: ${String(e.message ?? '').split('\n')[0]!.slice(0, 160)})`, TLS_HINTS[side]);
    }
  },
};
