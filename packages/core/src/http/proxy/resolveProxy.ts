import type { ConfigIssue } from '../../errors/index.js';
import { ProxyEndpoint } from './ProxyEndpoint.js';

/** Where a provider's connections go: a proxy URL, `env` (HTTPS_PROXY / NO_PROXY), or `direct`; and the proxy's credentials. */
export interface ProxySetting {
  readonly proxy?: string | undefined;
  readonly proxyAuth?: { readonly username?: string | undefined; readonly password?: string | undefined } | undefined;
}

/**
 * The proxy of one setting. `proxy` is an `http://` URL with a port (credentials in its user info,
 * or in `proxyAuth`), `"env"` to follow `https_proxy` / `HTTPS_PROXY` and `no_proxy` / `NO_PROXY`
 * as read at creation, or `"direct"`. `HTTP_PROXY` is never read: finauth only speaks https. Issues
 * name the field or the variable, never the URL (it may hold a password).
 */
export function resolveProxy(setting: ProxySetting, env: NodeJS.ProcessEnv = process.env): { proxy?: ProxyEndpoint; issues: ConfigIssue[] } {
  const auth = setting.proxyAuth;
  const path = 'proxy';
  const authPath = 'proxyAuth';
  if (setting.proxy === undefined || setting.proxy === 'direct') {
    return { issues: auth && setting.proxy === undefined ? [{ path: authPath, message: 'is given without a proxy' }] : [] };
  }
  let url: string;
  let noProxy: string | undefined;
  let variable: string | undefined;
  if (setting.proxy === 'env') {
    const name = env['https_proxy'] !== undefined ? 'https_proxy' : 'HTTPS_PROXY';
    const value = env[name]?.trim();
    if (!value) return { issues: [] };
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    noProxy = env['no_proxy'] ?? env['NO_PROXY'];
    variable = name;
  } else {
    url = setting.proxy;
  }
  // The message names the variable the URL came from, never the URL (it may hold a password).
  const issue = (message: string): { issues: ConfigIssue[] } => ({ issues: [{ path, message: variable ? `${variable} ${message}` : message }] });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return issue('is not a URL; expected http://host:port');
  }
  if (parsed.protocol !== 'http:') return issue(`must be an http:// proxy URL (got ${parsed.protocol}//): the tunnel to the proxy is plain HTTP, the TLS session inside it runs end to end to the bank`);
  if (!parsed.hostname) return issue('has no host');
  if (!parsed.port) return issue('must name the proxy port, e.g. http://proxy.internal:3128');
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) return issue('must be http://host:port with no path, query or fragment');
  const fromUrl = parsed.username !== '' || parsed.password !== '';
  if (fromUrl && auth) return { issues: [{ path: authPath, message: 'proxy credentials are given twice: in the proxy URL and in proxyAuth' }] };
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = fromUrl ? decodeURIComponent(parsed.username) : auth?.username;
    password = fromUrl ? decodeURIComponent(parsed.password) : auth?.password;
  } catch {
    return issue('has user info that is not valid percent-encoding');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return {
    proxy: new ProxyEndpoint({ host, port: Number(parsed.port), ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(noProxy ? { noProxy } : {}) }),
    issues: [],
  };
}
