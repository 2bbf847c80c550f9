/** What went wrong on the way through the proxy, before any byte reached the bank. */
export type ProxyFailureKind = 'unreachable' | 'auth' | 'refused' | 'timeout' | 'malformed';

export const PROXY_ERROR_CODE = 'ERR_FINAUTH_PROXY';

/**
 * The low-level error of a failed tunnel. It travels through node:http (or axios) as the request's
 * error and becomes a TransportError with reason `proxy` (transportError.ts). It names the proxy by
 * `http://host:port` only, never its credentials, and never carries the proxy's response body.
 */
export class ProxyTunnelError extends Error {
  readonly code = PROXY_ERROR_CODE;

  constructor(
    message: string,
    readonly kind: ProxyFailureKind,
    readonly proxy: string,
    /** The status the proxy answered CONNECT with, when it answered. */
    readonly status?: number,
    /** The socket error when the proxy could not be reached (`ECONNREFUSED`, ...). */
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'ProxyTunnelError';
  }

  /** Unreachable, timed out, or a 5xx to CONNECT (the proxy could not reach the bank) may pass on retry; 407 or a refusal will not. */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout' || (this.status !== undefined && this.status >= 500);
  }

  static find(error: unknown): ProxyTunnelError | undefined {
    for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
      if (e instanceof ProxyTunnelError || (e as { code?: unknown }).code === PROXY_ERROR_CODE) return e as ProxyTunnelError;
    }
    return undefined;
  }
}
