import { openTunnel, ProxyTunnelError } from '@finauth/core/internal';
import { fail, pass, skip, type Check } from '../Check.js';
import { proxyOf, rawField, timeoutOf } from '../providerFields.js';

const HINTS: Record<string, string> = {
  unreachable: 'check the proxy URL (host and port) and that this host may reach the proxy',
  auth: 'give the proxy credentials in the proxy URL or in proxyAuth (as env: or file: references), and check them with the proxy team',
  refused: "the proxy's policy does not allow CONNECT to this host and port: ask for it to be allowed (an egress allow-list entry)",
  timeout: 'the proxy accepted the connection but did not answer CONNECT in time: check the proxy and the timeoutMs',
  malformed: 'the proxy URL points at something that is not an HTTP proxy',
};

/**
 * The egress proxy path: opens a CONNECT tunnel to the bank's host and port through the configured
 * proxy, the way every connection of the provider will, and closes it. Says which proxy, whether
 * NO_PROXY sends the host direct, and what the proxy answered.
 */
export const proxyPath: Check = {
  name: 'egress proxy',
  async run(provider) {
    const { proxy, issues, from } = proxyOf(provider);
    if (issues.length > 0) return fail(issues.map((i) => `${i.path}: ${i.message}`).join('; '), 'proxy is http://host:port, "env" (HTTPS_PROXY / NO_PROXY) or "direct"');
    if (!proxy) return skip('no egress proxy configured: connections go direct');
    const target = rawField(provider, 'tokenEndpoint') ?? rawField(provider, 'issuer');
    if (typeof target !== 'string') return skip(`${proxy.display} configured, but no issuer or token endpoint to reach through it`);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return skip(`${proxy.display} configured, but the endpoint is not a URL`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    if (proxy.bypasses(host, port)) return pass(`${host} is in NO_PROXY: connections go direct, not through ${proxy.display}`);
    try {
      const socket = await openTunnel(proxy, host, port, timeoutOf(provider));
      socket.destroy();
      return pass(`${proxy.display} (${from}) opened a CONNECT tunnel to ${host}:${port}${proxy.authenticates ? ', with proxy credentials' : ''}`);
    } catch (error) {
      const e = ProxyTunnelError.find(error);
      if (!e) throw error;
      return fail(e.message, HINTS[e.kind] ?? HINTS['unreachable']!);
    }
  },
};
