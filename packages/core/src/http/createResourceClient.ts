import axios, { AxiosHeaders, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import type { TokenPipeline } from '../token/TokenPipeline.js';
import { redactAxiosError } from './redactAxiosError.js';

const RETRIED = Symbol('finauth.retried-after-401');
/** The pipeline a request was sent through: its 401 retry and its activity count use the same one. */
const PIPELINE = Symbol('finauth.pipeline');
type RetriableConfig = InternalAxiosRequestConfig & { [RETRIED]?: boolean; [PIPELINE]?: TokenPipeline };

/**
 * The AxiosInstance `http(providerId)` returns: the provider's agent (so a certificate-bound token
 * travels with its certificate), `Authorization: Bearer` whatever `token_type` said (RFC 6750),
 * the strategy's headers, and one retry with a fresh token after a 401.
 */
export function createResourceClient(current: () => TokenPipeline, scope: string | undefined): AxiosInstance {
  const first = current();
  const client = axios.create({
    adapter: 'http',
    httpsAgent: first.transport.agent,
    proxy: false,
    maxRedirects: 0, // a bearer token never follows a redirect to another host
    timeout: first.transport.timeoutMs,
  });
  const tokenOptions = scope === undefined ? {} : { scope };

  client.interceptors.request.use(async (config: RetriableConfig) => {
    // The provider as it is now: after setProvider/reload, its new certificate and its new token.
    const pipeline = config[PIPELINE] ?? current();
    const token = await pipeline.getToken(tokenOptions);
    // The request is now this pipeline's: a replaced provider's transport closes only after it.
    pipeline.activity.enter();
    Object.defineProperty(config, PIPELINE, { value: pipeline, enumerable: false, configurable: true });
    config.httpsAgent = pipeline.transport.agent;
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    for (const [name, value] of Object.entries(pipeline.strategy.resourceHeaders?.() ?? {})) {
      if (!headers.has(name)) headers.set(name, value);
    }
    config.headers = headers;
    return config;
  });

  const settle = (config: RetriableConfig | undefined): TokenPipeline | undefined => {
    const pipeline = config?.[PIPELINE];
    if (pipeline && config) {
      delete config[PIPELINE];
      pipeline.activity.leave();
    }
    return pipeline;
  };

  client.interceptors.response.use(
    (response) => {
      settle(response.config as RetriableConfig);
      return response;
    },
    async (error: unknown) => {
      if (!axios.isAxiosError(error)) throw error;
      const pipeline = settle(error.config as RetriableConfig | undefined);
      if (error.response?.status !== 401 || !error.config || !pipeline) throw redactAxiosError(error);
      const config = error.config as RetriableConfig;
      if (config[RETRIED]) throw redactAxiosError(error);
      config[RETRIED] = true;
      await pipeline.getToken({ ...tokenOptions, forceRefresh: true });
      pipeline.activity.enter();
      Object.defineProperty(config, PIPELINE, { value: pipeline, enumerable: false, configurable: true });
      try {
        return await client.request(config);
      } finally {
        pipeline.activity.leave();
      }
    },
  );
  return client;
}
