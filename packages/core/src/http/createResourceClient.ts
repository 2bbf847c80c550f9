import axios, { AxiosHeaders, type AxiosAdapter, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { ResourceRequest } from '../strategy/Strategy.js';
import type { TokenPipeline } from '../token/TokenPipeline.js';
import { ProxyTunnelError } from './proxy/ProxyTunnelError.js';
import { redactAxiosError } from './redactAxiosError.js';
import { proxyTransportError } from './transportError.js';
import type { ResourcePolicy } from './resourcePolicy.js';

const RETRIED = Symbol('finauth.retried-after-401');
type RetriableConfig = InternalAxiosRequestConfig & { [RETRIED]?: boolean };

/** One provider as `http()` uses it: its pipeline and its resource policy, swapped together. */
export interface ResourceTarget {
  readonly pipeline: TokenPipeline;
  readonly policy: ResourcePolicy;
}

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
export function createResourceClient(current: () => ResourceTarget, scope: string | undefined): AxiosInstance {
  const send = axios.getAdapter('http');
  const tokenOptions = scope === undefined ? {} : { scope };

  const adapter: AxiosAdapter = async (config) => {
    // The provider as it is now: after setProvider/reload, its new certificate, origins and token.
    const { pipeline, policy } = current();
    const url = finalUrl(config);
    policy.check({ url, socketPath: config.socketPath, proxy: config.proxy, maxRedirects: config.maxRedirects });
    // From here the request is this provider's: a replaced provider's transport closes only after
    // the requests it carries are done (counted before the token wait, which may be its last fetch).
    pipeline.activity.enter();
    try {
      const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
      // Object.assign, not `{ ...tokenOptions, signal }`: a spread plus a new member costs a V8 map per call (docs/performance.md, "Object spread").
      const token = await pipeline.getToken(signal ? Object.assign({}, tokenOptions, { signal }) : tokenOptions);
      const headers = AxiosHeaders.from(config.headers);
      // RFC 9449 §7.1: a DPoP-bound token goes in `Authorization: DPoP`; any other as Bearer (RFC 6750).
      headers.set('Authorization', `${token.tokenType === 'DPoP' ? 'DPoP' : 'Bearer'} ${token.accessToken}`);
      for (const [name, value] of Object.entries(pipeline.strategy.resourceHeaders?.() ?? {})) {
        if (!headers.has(name)) headers.set(name, value);
      }
      config.headers = headers;
      config.httpsAgent = pipeline.transport.agent;
      const { strategy } = pipeline;
      if (!strategy.resourceRequestHeaders && !strategy.resourceResponse) return await send(config);
      return await sendBound(pipeline, config, headers, { method: (config.method ?? 'get').toUpperCase(), url, token });
    } finally {
      pipeline.activity.leave();
    }
  };

  /**
   * A request whose headers depend on the request and token (a DPoP proof): built per send, and
   * sent once more when the strategy says the server asked for it (a DPoP nonce challenge).
   */
  const sendBound = async (pipeline: TokenPipeline, config: InternalAxiosRequestConfig, headers: AxiosHeaders, request: ResourceRequest, again = false): Promise<AxiosResponse> => {
    const { strategy } = pipeline;
    for (const [name, value] of Object.entries((await strategy.resourceRequestHeaders?.(request)) ?? {})) headers.set(name, value);
    config.headers = headers;
    const seen = (status: number, responseHeaders: unknown): boolean =>
      strategy.resourceResponse?.({ method: request.method, url: request.url, status, headers: lowerCaseHeaders(responseHeaders) }) ?? false;
    try {
      const response = await send(config);
      seen(response.status, response.headers);
      return response;
    } catch (error) {
      if (axios.isAxiosError(error) && error.response && seen(error.response.status, error.response.headers) && !again) {
        return sendBound(pipeline, config, headers, request, true);
      }
      throw error;
    }
  };

  const first = current().pipeline;
  const client = axios.create({
    adapter,
    httpsAgent: first.transport.agent,
    proxy: false,
    maxRedirects: 0, // a bearer token never follows a redirect to another host
    timeout: first.transport.timeoutMs,
  });

  client.interceptors.response.use(undefined, async (error: unknown) => {
    if (!axios.isAxiosError(error)) throw error;
    // The egress proxy refused or could not be reached: nothing reached the bank; say so, typed.
    const proxyFailure = error.response ? undefined : ProxyTunnelError.find(error);
    if (proxyFailure) throw proxyTransportError(proxyFailure, { providerId: current().pipeline.providerId, url: error.config?.url ?? '' });
    if (error.response?.status !== 401 || !error.config) throw redactAxiosError(error);
    const config = error.config as RetriableConfig;
    if (config[RETRIED]) throw redactAxiosError(error);
    config[RETRIED] = true;
    const { pipeline } = current();
    await pipeline.getToken({ ...tokenOptions, forceRefresh: true });
    return client.request(config);
  });
  return client;
}

/** Response headers as a plain record with lower-case names (axios may hand an AxiosHeaders). */
function lowerCaseHeaders(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const source = headers instanceof AxiosHeaders ? headers.toJSON() : (headers as Record<string, unknown> | undefined) ?? {};
  for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? undefined : String(value);
  return out;
}
