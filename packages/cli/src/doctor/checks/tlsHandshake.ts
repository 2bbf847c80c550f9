import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { openTunnel, ProxyTunnelError, tlsAgentOptions, type ProxyEndpoint, type TlsPolicy } from '@finauth/core';
import { FAPI2_TLS_POLICY } from '@finauth/fapi2';
import { fail, pass, skip, type Check } from '../Check.js';
import { proxyOf, rawField, resolvedTls, timeoutOf } from '../providerFields.js';

interface Handshake {
  readonly protocol: string;
  readonly cipher: string;
}

/**
 * One TLS handshake with the options the provider's agent uses (same trust, policy, client
 * certificate), inside a CONNECT tunnel when the provider goes through an egress proxy.
 */
async function handshake(url: URL, options: ConnectionOptions, timeoutMs: number, proxy: ProxyEndpoint | undefined): Promise<Handshake> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const tunnel = proxy && !proxy.bypasses(host, port) ? await openTunnel(proxy, host, port, timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const socket = connect({ ...options, host, port, ...(tunnel ? { socket: tunnel } : {}), ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const result = { protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

export const tlsHandshake: Check = {
  name: 'TLS handshake',
  async run(provider) {
    // Without a token endpoint (discovery failed), the issuer's host still tells whether TLS works.
    const target = provider.tokenEndpoint ?? rawField(provider, 'issuer');
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
    try {
      const { proxy } = proxyOf(provider);
      const { protocol, cipher } = await handshake(url, options, timeoutOf(provider), proxy);
      return pass(`${url.host}: ${protocol}, ${cipher}${proxy && !proxy.bypasses(url.hostname, Number(url.port || 443)) ? ` (through ${proxy.display})` : ''}`);
    } catch (error) {
      const tunnelError = ProxyTunnelError.find(error);
      if (tunnelError) return fail(tunnelError.message, 'see the egress proxy check above');
      const e = error as { code?: string; message?: string };
      const code = e.code ?? 'error';
      const hint = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH'
        ? 'the host does not answer: check the URL, the port and the network path (firewall, allow-listed egress IP)'
        : 'check tls.ca trusts the server certificate, the host name matches it, and the bank accepts your client certificate';
      return fail(`${url.host}: ${code} ${String(e.message ?? '').slice(0, 160)}`.trim(), hint);
    }
  },
};
