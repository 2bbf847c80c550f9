import { TransportError } from '../errors/index.js';
import { safeUrl } from './transportError.js';

/**
 * Where `http(providerId)` may send a provider's access token. A client-credentials token of a
 * Basic gateway is a plain bearer token (RFC 6750 §5.2: whoever holds it can use it), so it goes
 * over TLS only, to a URL without credentials of its own, and — when the provider lists
 * `resourceOrigins` — to those origins only. Checked on the final URL, immediately before the
 * request is sent and before a token is even fetched, so a refused call opens no socket.
 */
export interface ResourceRequest {
  /** The absolute URL the request goes to (axios: baseURL + url + params). */
  readonly url: string;
  /** axios options that would send the request somewhere the URL does not say. */
  readonly socketPath?: unknown;
  readonly proxy?: unknown;
  readonly maxRedirects?: unknown;
}

export class ResourcePolicy {
  readonly #origins: ReadonlySet<string> | undefined;

  /** @param origins already validated by `httpsOriginProblems` (config validation) */
  constructor(
    private readonly providerId: string,
    origins: readonly string[] | undefined,
  ) {
    this.#origins = origins === undefined ? undefined : new Set(origins.map((o) => new URL(o).origin));
  }

  /** The allowed origins, normalised (`https://host[:port]`), or undefined when any https origin is allowed. */
  get origins(): readonly string[] | undefined {
    return this.#origins && [...this.#origins];
  }

  /** Throws a TransportError (`protocol` or `origin`) when the request must not carry the token. */
  check(request: ResourceRequest): void {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw this.refuse('protocol', '(invalid URL)', 'not an absolute https URL');
    }
    const where = safeUrl(url.href); // never the user info, query or fragment
    if (url.protocol !== 'https:') throw this.refuse('protocol', where, 'only https URLs receive a token');
    if (url.username !== '' || url.password !== '') throw this.refuse('protocol', where, 'the URL carries user info (credentials); give the origin without it');
    if (request.socketPath !== undefined && request.socketPath !== null) throw this.refuse('protocol', where, 'socketPath would send the token to a local socket, not to the URL');
    if (request.proxy !== undefined && request.proxy !== false) throw this.refuse('protocol', where, "axios's proxy option sends the request to the proxy, which would see the token");
    if (request.maxRedirects !== undefined && request.maxRedirects !== 0) throw this.refuse('protocol', where, 'a token never follows a redirect (maxRedirects must stay 0)');
    if (this.#origins && !this.#origins.has(url.origin)) {
      throw this.refuse('origin', where, `${url.origin} is not one of the provider's resourceOrigins (${[...this.#origins].join(', ')})`);
    }
  }

  private refuse(reason: 'protocol' | 'origin', where: string, why: string): TransportError {
    return new TransportError(`Refusing to send ${this.providerId}'s token to ${where}: ${why}; nothing was sent`, { reason }, { providerId: this.providerId });
  }
}

/**
 * What is wrong with one `resourceOrigins` entry, in words that never repeat the value (it may
 * hold user info). Empty when it is an https origin: scheme, host and optional port, at most a
 * trailing "/".
 */
export function httpsOriginProblems(value: unknown): string[] {
  if (typeof value !== 'string') return ['must be a string'];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['is not a URL (write https://host[:port])'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push('must use https: (a token never travels in clear)');
  if (url.username !== '' || url.password !== '') problems.push('must not carry user info');
  if (url.pathname !== '/' || /^[^#?]*:\/\/[^/?#]*\/[^?#]/.test(value)) problems.push('must not have a path');
  if (url.search !== '' || value.includes('?')) problems.push('must not have a query');
  if (url.hash !== '' || value.includes('#')) problems.push('must not have a fragment');
  return problems;
}
