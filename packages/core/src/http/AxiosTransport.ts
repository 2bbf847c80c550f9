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

/**
 * One axios instance for every transport: creating one per provider merges its defaults each time,
 * measurable with a thousand providers (docs/performance.md). What differs per provider — the agent
 * and the size limit — goes with each request.
 */
let sharedClient: AxiosInstance | undefined;
function client(): AxiosInstance {
  sharedClient ??= axios.create({
    adapter: 'http', // the fetch adapter ignores httpsAgent (TOOLCHAIN.md)
    proxy: false, // HTTPS_PROXY would make axios tunnel without our agent, i.e. without mTLS
    maxRedirects: 0, // credentials never follow a redirect
    responseType: 'text',
    responseEncoding: 'utf8',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxBodyLength: 1024 * 1024,
    decompress: true,
  });
  return sharedClient;
}

/** The default Transport: axios over one keep-alive https.Agent per provider. */
export class AxiosTransport implements Transport {
  readonly timeoutMs: number;
  #agent: Agent | undefined;

  constructor(private readonly options: TransportOptions) {
    this.timeoutMs = options.timeoutMs;
  }

  /**
   * Built on first use: its TLS context costs a millisecond or more (parsing the key and
   * certificate), which an instance with a thousand providers should not pay at creation for
   * providers it may never call (docs/performance.md).
   */
  get agent(): Agent {
    this.#agent ??= new Agent(tlsAgentOptions(this.options));
    return this.#agent;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (!request.url.startsWith('https://')) {
      throw new TransportError(`Refusing to send to ${safeUrl(request.url)}: only https URLs are allowed`, { reason: 'protocol' }, { providerId: this.options.providerId });
    }
    if (request.signal?.aborted) throw request.signal.reason;
    // One controller per attempt: aborted by the timeout or by the caller's signal. A listener is
    // cheaper than AbortSignal.any on this hot path.
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(), this.timeoutMs);
    const onCallerAbort = (): void => attempt.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const res = await client().request<string>({ method: request.method, url: request.url, headers: { ...request.headers }, data: request.body, signal: attempt.signal, httpsAgent: this.agent, maxContentLength: this.options.maxResponseBytes });
      return { status: res.status, headers: flattenHeaders(res.headers), body: typeof res.data === 'string' ? res.data : '' };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw toTransportError(error, { providerId: this.options.providerId, url: request.url, timedOut: attempt.signal.aborted, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  close(): void {
    this.#agent?.destroy();
  }
}

export const axiosTransportFactory: TransportFactory = {
  create: (options) => new AxiosTransport(options),
};
