import type { Agent } from 'node:https';
import { TransportError, type HttpRequest, type HttpResponse, type Transport, type TransportFactory, type TransportOptions } from '@finauth/core';

export type Responder = (request: HttpRequest) => HttpResponse | Error;

/**
 * A Transport bound through core's TRANSPORT_FACTORY option (DI): answers requests from a script,
 * records them. Unit tests only; the integration tests use the real sandbox over mTLS.
 */
export class FakeTransport implements Transport {
  readonly agent = {} as Agent;
  readonly timeoutMs = 1000;
  readonly requests: HttpRequest[] = [];
  options: TransportOptions | undefined;

  constructor(private readonly respond: Responder) {}

  send(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    const answer = this.respond(request);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer);
  }

  /** The token requests' form bodies. */
  tokenBodies(): URLSearchParams[] {
    return this.requests.filter((r) => r.method === 'POST').map((r) => new URLSearchParams(r.body ?? ''));
  }

  close(): void {}

  factory(): TransportFactory {
    return {
      create: (options) => {
        this.options = options;
        return this;
      },
    };
  }
}

export const ISSUER = 'https://as.test.example/ofp';
export const TOKEN_ENDPOINT = 'https://as.test.example/ofp/token';
export const MTLS_TOKEN_ENDPOINT = 'https://mtls.as.test.example:8443/ofp/token';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function discoveryDoc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: ISSUER,
    token_endpoint: TOKEN_ENDPOINT,
    mtls_endpoint_aliases: { token_endpoint: MTLS_TOKEN_ENDPOINT },
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'],
    token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256', 'EdDSA'],
    ...overrides,
  };
}

/** A token response that echoes the request's interaction id, as the OFP token endpoint OpenAPI description says servers do. */
export function tokenOk(request: HttpRequest, extra: Record<string, string> = {}): HttpResponse {
  return json(200, { access_token: `at-${Math.random().toString(36).slice(2)}`, token_type: 'Bearer', expires_in: 3600, scope: 'accounts' }, { 'x-fapi-interaction-id': request.headers['x-fapi-interaction-id'] ?? '', ...extra });
}

/** A standard OAuth server: discovery at the OpenID location, tokens at the mTLS alias. */
export function standardServer(request: HttpRequest): HttpResponse | Error {
  if (request.method === 'GET' && request.url === `${ISSUER}/.well-known/openid-configuration`) return json(200, discoveryDoc());
  if (request.method === 'POST' && request.url === MTLS_TOKEN_ENDPOINT) return tokenOk(request);
  return json(404, { errors: ['not found'] });
}

export function networkError(): TransportError {
  return new TransportError('Request failed: network failure: socket hang up (ECONNRESET)', { reason: 'network', errno: 'ECONNRESET' });
}
