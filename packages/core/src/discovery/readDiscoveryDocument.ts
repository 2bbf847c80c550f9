import { DiscoveryError } from '../errors/index.js';
import type { HttpResponse } from '../http/HttpResponse.js';

/** What an OAuth client takes from the authorization server metadata. */
export interface DiscoveredMetadata {
  readonly issuer: string;
  /** Where a mutual-TLS client's token requests go: the mTLS alias when advertised, else `token_endpoint`. */
  readonly tokenEndpoint: string;
  /** True when `tokenEndpoint` came from `mtls_endpoint_aliases`. */
  readonly viaMtlsAlias: boolean;
  /** `token_endpoint` itself (not the alias), when it is an https URL: where a client without mTLS posts. */
  readonly plainTokenEndpoint?: string;
  readonly tokenEndpointAuthMethods?: readonly string[];
  readonly tokenEndpointSigningAlgs?: readonly string[];
}

/**
 * Checks one discovery response and picks the token endpoint. A pure function of the response:
 * tested without a socket.
 * @see RFC 8414 §3.2 (response) and §3.3 (issuer must be identical), RFC 8705 §5 (mtls_endpoint_aliases)
 */
export function readDiscoveryDocument(response: HttpResponse, expected: { issuer: string; url: string; providerId: string }): DiscoveredMetadata {
  const fail = (message: string): DiscoveryError => new DiscoveryError(message, { url: expected.url, status: response.status }, { providerId: expected.providerId });
  if (response.status !== 200) throw fail(`Discovery document at ${expected.url} answered HTTP ${response.status}`);
  let doc: unknown;
  try {
    doc = JSON.parse(response.body);
  } catch {
    throw fail(`Discovery document at ${expected.url} is not JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw fail(`Discovery document at ${expected.url} is not a JSON object`);
  const meta = doc as Record<string, unknown>;
  const issuer = meta['issuer'];
  if (typeof issuer !== 'string') throw fail(`Discovery document at ${expected.url} has no issuer`);
  // RFC 8414 §3.3: identical, character for character; anything else may be an impersonation.
  if (issuer !== expected.issuer) throw fail(`Discovery document at ${expected.url} names issuer "${issuer.slice(0, 200)}", not the configured "${expected.issuer}" (RFC 8414 §3.3)`);
  const plain = httpsUrl(meta['token_endpoint']);
  const aliases = meta['mtls_endpoint_aliases'];
  const alias = typeof aliases === 'object' && aliases !== null && !Array.isArray(aliases) ? httpsUrl((aliases as Record<string, unknown>)['token_endpoint']) : undefined;
  if (meta['token_endpoint'] !== undefined && plain === undefined && alias === undefined) throw fail(`Discovery document at ${expected.url} has a token_endpoint that is not an https URL`);
  const tokenEndpoint = alias ?? plain;
  if (!tokenEndpoint) throw fail(`Discovery document at ${expected.url} has no token_endpoint`);
  const out: { -readonly [K in keyof DiscoveredMetadata]: DiscoveredMetadata[K] } = { issuer, tokenEndpoint, viaMtlsAlias: alias !== undefined };
  if (plain) out.plainTokenEndpoint = plain;
  const methods = stringArray(meta['token_endpoint_auth_methods_supported']);
  if (methods) out.tokenEndpointAuthMethods = methods;
  const algs = stringArray(meta['token_endpoint_auth_signing_alg_values_supported']);
  if (algs) out.tokenEndpointSigningAlgs = algs;
  return out;
}

function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password && !url.hash ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}
