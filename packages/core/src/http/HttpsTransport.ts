import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import { TransportError } from '../errors/index.js';
import type { HttpResponse } from './HttpResponse.js';
import { providerAgent } from './providerAgent.js';
import { readBody } from './readBody.js';
import { watchAbort } from './abortWatch.js';
import { safeUrl, toTransportError } from './transportError.js';
import type { HttpRequest, Transport, TransportFactory, TransportOptions } from './Transport.js';

/**
 * The transport of the requests finauth makes itself — token, discovery, and the strategies' own
 * calls — on Node's own HTTPS client over the provider's agent. The token request is finauth's
 * protocol step, not the user's HTTP client: a general-purpose client's per-request config merging
 * and header normalisation cost more than the rest of the request (docs/performance.md). `http()`
 * stays an axios instance over the same agent. (undici's `request` was measured too: faster per
 * request alone, but a second pool beside this agent, a second connection for a sequential caller,
 * and a reconnect per request to servers announcing short keep-alive timeouts: docs/architecture.md.)
 *
 * Never follows a redirect (node:https does not), never reads a proxy from the environment (the
 * agent decides: see ProxyTunnelAgent), bounds each attempt from connect to last byte by
 * `timeoutMs` and the body by `maxResponseBytes`.
 */
export class HttpsTransport implements Transport {
  readonly timeoutMs: number;
  readonly #options: TransportOptions;
  #agent: Agent | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.timeoutMs = options.timeoutMs;
  }

  /**
   * Built on first use: its TLS context costs a millisecond or more (parsing the key and
   * certificate), which an instance with a thousand providers should not pay at creation for
   * providers it may never call (docs/performance.md).
   */
  get agent(): Agent {
    return (this.#agent ??= providerAgent(this.#options));
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const { providerId, maxResponseBytes } = this.#options;
    if (!request.url.startsWith('https://')) {
      return Promise.reject(new TransportError(`Refusing to send to ${safeUrl(request.url)}: only https URLs are allowed`, { reason: 'protocol' }, { providerId }));
    }
    const { signal } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<HttpResponse>((resolve, reject) => {
      let timedOut = false;
      let settled = false;
      let req: ReturnType<typeof httpsRequest>;
      const settle = (error: unknown, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopWatching?.();
        if (response) return resolve(response);
        req.destroy();
        if (signal?.aborted) return reject(signal.reason);
        reject(TransportError.is(error) ? error : toTransportError(error, { providerId, url: request.url, timedOut, timeoutMs: this.timeoutMs }));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        settle(new Error('timed out'));
      }, this.timeoutMs);
      const stopWatching = signal ? watchAbort(signal, () => settle(signal.reason)) : undefined;
      try {
        // node:http copies the caller's headers into its own; content-length is added there, so the
        // caller's object is left as it was without a copy of ours.
        req = httpsRequest(request.url, { method: request.method, agent: this.agent, headers: request.headers });
        if (request.body !== undefined) req.setHeader('content-length', Buffer.byteLength(request.body));
      } catch (error) {
        // An invalid header value or URL: node:http throws before any I/O.
        req = { destroy: () => undefined } as unknown as ReturnType<typeof httpsRequest>;
        return settle(error);
      }
      req.on('error', settle);
      req.on('response', (res) => {
        readBody(res, maxResponseBytes, (error, body) => {
          if (error) return settle(error);
          settle(undefined, { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: body ?? '' });
        });
      });
      req.end(request.body);
    });
  }

  close(): void {
    this.#agent?.destroy();
  }
}

/**
 * Lower-case names (node:http's already are); repeated headers joined with ", ". node:http joins
 * them itself except set-cookie, which arrives as an array: only then is a copy made.
 */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  if (headers['set-cookie'] === undefined) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export const httpsTransportFactory: TransportFactory = {
  create: (options) => new HttpsTransport(options),
};
