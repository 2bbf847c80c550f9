import axios, { AxiosHeaders, type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import type { TokenPipeline } from '../token/TokenPipeline.js';
import { ProxyTunnelError } from './proxy/ProxyTunnelError.js';
import { redactAxiosError } from './redactAxiosError.js';
import { proxyTransportError } from './transportError.js';
import type { ResourcePolicy } from './resourcePolicy.js';

const RETRIED = Symbol('finauth.retried-after-401');
type RetriableConfig = InternalAxiosRequestConfig & { [RETRIED]?: boolean };

/** The URL axios's http adapter will connect to: baseURL + url (or url alone) + params. */
function finalUrl(config: InternalAxiosRequestConfig): string {
  try {
    return axios.getUri(config);
  } catch {
    return ''; // axios refuses it too (e.g. "https:host"); the policy reports an invalid URL
  }
}

/**
 * The AxiosInstance `http(providerId)` returns: the provider's agent (so a certificate-bound token
 * travels with its certificate), `Authorization: Bearer` whatever `token_type` said (RFC 6750),
 * the strategy's headers, and one retry with a fresh token after a 401.
 *
 * The token is added by the instance's adapter, the last step before a socket is opened, after
 * every request interceptor whatever their order (axios runs them newest first by default, oldest
 * first with `transitional.legacyInterceptorReqResOrdering: false`): the URL it checks against the
 * resource policy is the URL the request goes to, and a refused request has no token and opens
 * no socket. A request given its own `adapter` bypasses finauth and gets no token.
 */
export function createResourceClient(pipeline: TokenPipeline, scope: string | undefined, policy: ResourcePolicy): AxiosInstance {
  const send = axios.getAdapter('http');
  const tokenOptions = scope === undefined ? {} : { scope };

  const adapter: AxiosAdapter = async (config) => {
    policy.check({ url: finalUrl(config), socketPath: config.socketPath, proxy: config.proxy, maxRedirects: config.maxRedirects });
    const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
    const token = await pipeline.getToken(signal ? { ...tokenOptions, signal } : tokenOptions);
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    for (const [name, value] of Object.entries(pipeline.strategy.resourceHeaders?.() ?? {})) {
      if (!headers.has(name)) headers.set(name, value);
    }
    config.headers = headers;
    return send(config);
  };

  const client = axios.create({
    adapter,
    httpsAgent: pipeline.transport.agent,
    proxy: false,
    maxRedirects: 0, // a bearer token never follows a redirect to another host
    timeout: pipeline.transport.timeoutMs,
  });

  client.interceptors.response.use(undefined, async (error: unknown) => {
    if (!axios.isAxiosError(error)) throw error;
    // The egress proxy refused or could not be reached: nothing reached the bank; say so, typed.
    const proxyFailure = error.response ? undefined : ProxyTunnelError.find(error);
    if (proxyFailure) throw proxyTransportError(proxyFailure, { providerId: pipeline.providerId, url: error.config?.url ?? '' });
    if (error.response?.status !== 401 || !error.config) throw redactAxiosError(error);
    const config = error.config as RetriableConfig;
    if (config[RETRIED]) throw redactAxiosError(error);
    config[RETRIED] = true;
    await pipeline.getToken({ ...tokenOptions, forceRefresh: true });
    return client.request(config);
  });
  return client;
}
