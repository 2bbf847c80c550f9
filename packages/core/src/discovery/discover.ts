import { DiscoveryError } from '../errors/index.js';
import type { Transport } from '../http/Transport.js';
import { cacheMaxAge } from './cacheMaxAge.js';
import { discoveryUrls } from './discoveryUrls.js';
import { readDiscoveryDocument, type DiscoveredMetadata } from './readDiscoveryDocument.js';

export interface DiscoveryResult {
  readonly metadata: DiscoveredMetadata;
  /** How long the answer may be reused (Cache-Control max-age, default one hour). */
  readonly maxAgeMs: number;
  /** The URL the document came from. */
  readonly url: string;
}

/**
 * Fetches the issuer's metadata through the provider's transport (its mTLS agent: the OFM developer portal (Section 4) wants
 * mTLS on every request), trying the OpenID form first and the RFC 8414 form when that one answers
 * with an HTTP error. A document that is unparseable or names another issuer stops the search: it
 * was served, and it is wrong. Network and TLS failures stay TransportErrors.
 * @see RFC 8414 §3, §3.3
 */
export async function discover(
  transport: Transport,
  issuer: string,
  options: { readonly providerId: string; readonly signal?: AbortSignal; /** Extra headers for each request (FAPI: a fresh x-fapi-interaction-id). */ readonly headers?: () => Record<string, string> },
): Promise<DiscoveryResult> {
  const urls = discoveryUrls(issuer);
  const statuses: string[] = [];
  let last: DiscoveryError | undefined;
  for (const url of urls) {
    const response = await transport.send({
      method: 'GET',
      url,
      headers: { accept: 'application/json', ...options.headers?.() },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status !== 200) {
      statuses.push(`${url} answered HTTP ${response.status}`);
      last = new DiscoveryError(`No discovery document for issuer ${issuer}: ${statuses.join('; ')}`, { url, status: response.status }, { providerId: options.providerId });
      continue;
    }
    const metadata = readDiscoveryDocument(response, { issuer, url, providerId: options.providerId });
    return { metadata, maxAgeMs: cacheMaxAge(response.headers['cache-control']), url };
  }
  throw last ?? new DiscoveryError(`No discovery document for issuer ${issuer}`, { url: urls[0] }, { providerId: options.providerId });
}
