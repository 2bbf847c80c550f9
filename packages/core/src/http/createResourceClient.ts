import axios, { AxiosHeaders, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import type { TokenPipeline } from '../token/TokenPipeline.js';
import { ProxyTunnelError } from './proxy/ProxyTunnelError.js';
import { redactAxiosError } from './redactAxiosError.js';
import { proxyTransportError } from './transportError.js';

const RETRIED = Symbol('finauth.retried-after-401');
type RetriableConfig = InternalAxiosRequestConfig & { [RETRIED]?: boolean };

/**
 * The AxiosInstance `http(providerId)` returns: the provider's agent (so a certificate-bound token
 * travels with its certificate), `Authorization: Bearer` whatever `token_type` said (RFC 6750),
 * the strategy's headers, and one retry with a fresh token after a 401.
 */
export function createResourceClient(pipeline: TokenPipeline, scope: string | undefined): AxiosInstance {
  const client = axios.create({
    adapter: 'http',
    httpsAgent: pipeline.transport.agent,
    proxy: false,
    maxRedirects: 0, // a bearer token never follows a redirect to another host
    timeout: pipeline.transport.timeoutMs,
  });
  const tokenOptions = scope === undefined ? {} : { scope };

  client.interceptors.request.use(async (config) => {
    const token = await pipeline.getToken(tokenOptions);
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    for (const [name, value] of Object.entries(pipeline.strategy.resourceHeaders?.() ?? {})) {
      if (!headers.has(name)) headers.set(name, value);
    }
    config.headers = headers;
    return config;
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
