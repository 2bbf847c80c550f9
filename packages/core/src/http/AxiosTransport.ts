import { Agent } from 'node:https';
import axios, { type AxiosInstance, type RawAxiosResponseHeaders, type AxiosResponseHeaders } from 'axios';
import { TransportError } from '../errors/index.js';
import type { HttpResponse } from './HttpResponse.js';
import { tlsAgentOptions } from './tlsAgentOptions.js';
import { safeUrl, toTransportError } from './transportError.js';
import type { HttpRequest, Transport, TransportFactory, TransportOptions } from './Transport.js';

function flattenHeaders(headers: RawAxiosResponseHeaders | AxiosResponseHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** The default Transport: axios over one keep-alive https.Agent per provider. */
export class AxiosTransport implements Transport {
  readonly agent: Agent;
  readonly timeoutMs: number;
  private readonly client: AxiosInstance;

  constructor(private readonly options: TransportOptions) {
    this.agent = new Agent(tlsAgentOptions(options));
    this.timeoutMs = options.timeoutMs;
    this.client = axios.create({
      adapter: 'http', // the fetch adapter ignores httpsAgent (TOOLCHAIN.md)
      httpsAgent: this.agent,
      proxy: false, // HTTPS_PROXY would make axios tunnel without our agent, i.e. without mTLS
      maxRedirects: 0, // credentials never follow a redirect
      responseType: 'text',
      responseEncoding: 'utf8',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: options.maxResponseBytes,
      maxBodyLength: 1024 * 1024,
      decompress: true,
    });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (!request.url.startsWith('https://')) {
      throw new TransportError(`Refusing to send to ${safeUrl(request.url)}: only https URLs are allowed`, { reason: 'protocol' }, { providerId: this.options.providerId });
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    try {
      const res = await this.client.request<string>({ method: request.method, url: request.url, headers: { ...request.headers }, data: request.body, signal });
      return { status: res.status, headers: flattenHeaders(res.headers), body: typeof res.data === 'string' ? res.data : '' };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw toTransportError(error, { providerId: this.options.providerId, url: request.url, timedOut: timeout.signal.aborted, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

export const axiosTransportFactory: TransportFactory = {
  create: (options) => new AxiosTransport(options),
};
