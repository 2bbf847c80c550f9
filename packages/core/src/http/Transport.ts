import type { Agent } from 'node:https';
import type { HttpResponse } from './HttpResponse.js';
import type { ProxyEndpoint } from './proxy/ProxyEndpoint.js';

/** TLS requirements a strategy adds to a provider's connections (FAPI 2.0: TLS 1.2+, strong suites). */
export interface TlsPolicy {
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list for TLS 1.2 (TLS 1.3 suites are always the strong defaults). */
  readonly ciphers?: string;
  /** The strategy cannot work without a client certificate (mutual TLS). */
  readonly requireClientCertificate?: boolean;
}

export interface TransportOptions {
  readonly providerId: string;
  /** PEM values, already resolved from references. */
  readonly tls: { readonly cert?: string; readonly key?: string; readonly passphrase?: string; readonly ca?: string };
  readonly policy: TlsPolicy;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** The egress proxy this provider's connections tunnel through (CONNECT), when it has one. */
  readonly proxy?: ProxyEndpoint | undefined;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the attempt (caller gone, instance closing). The per-attempt timeout is the transport's. */
  readonly signal?: AbortSignal;
}

/**
 * One provider's connection to its bank: one keep-alive agent carrying its TLS material, shared by
 * discovery, token calls and `http()`. Never follows redirects, uses the provider's configured
 * egress proxy only (see docs/architecture.md), bounds response size and time.
 */
export interface Transport {
  /** The agent `http()` uses, so resource calls present the same client certificate. */
  readonly agent: Agent;
  readonly timeoutMs: number;
  /** Sends one request; any HTTP status resolves. Network, TLS, timeout and size failures reject with TransportError. */
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

export interface TransportFactory {
  create(options: TransportOptions): Transport;
}
