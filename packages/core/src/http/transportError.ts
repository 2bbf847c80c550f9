import { TransportError, type TransportFailure } from '../errors/index.js';
import { ProxyTunnelError } from './proxy/ProxyTunnelError.js';

const TLS_CODE = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL_)/;
const NETWORK_CODE = /^(ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENETDOWN|ECONNABORTED_BY_PEER|ERR_STREAM_PREMATURE_CLOSE|ERR_HTTP_PARSER|HPE_)/;

/** The URL without query or fragment: enough to find the failing endpoint, nothing a query could leak. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function lowLevel(error: unknown): { code: string | undefined; message: string } {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.cause?.message === 'string' ? e.cause.message : typeof e?.message === 'string' ? e.message : 'unknown error';
  return { code, message };
}

/**
 * Maps whatever the HTTP stack threw to a TransportError. The cause kept is a plain Error with the
 * low-level code and message only: an AxiosError would carry the request's headers and body
 * (credentials) into every log that prints the cause.
 */
export function toTransportError(error: unknown, details: { providerId: string; url: string; timedOut: boolean; timeoutMs: number }): TransportError {
  const proxy = ProxyTunnelError.find(error);
  if (proxy) return proxyTransportError(proxy, details);
  const { code, message } = lowLevel(error);
  const where = safeUrl(details.url);
  const cause = Object.assign(new Error(message.slice(0, 300)), code ? { code } : {});
  let reason: TransportFailure;
  let text: string;
  if (details.timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    reason = 'timeout';
    text = `no complete response within ${details.timeoutMs} ms`;
  } else if (/maxContentLength/.test(message) || code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED') {
    reason = 'too_large';
    text = 'response body exceeds the size limit';
  } else if ((code && TLS_CODE.test(code)) || /certificate|SSL|TLS|alert/i.test(message)) {
    reason = 'tls';
    text = `TLS failure: ${message}`;
  } else if ((code && NETWORK_CODE.test(code)) || /socket hang up|aborted|closed|ECONNRESET/i.test(message)) {
    reason = 'network';
    text = `network failure: ${message}`;
  } else {
    reason = 'protocol';
    text = `HTTP failure: ${message}`;
  }
  return new TransportError(`Request to ${where} failed: ${text}${code ? ` (${code})` : ''}`, { reason, errno: code }, { providerId: details.providerId, cause });
}

/**
 * A failure on the way through the egress proxy, before the bank was reached: reason `proxy`, the
 * message naming the proxy (`http://host:port`, never its credentials) and what it did.
 */
export function proxyTransportError(error: ProxyTunnelError, details: { providerId: string; url: string }): TransportError {
  const cause = Object.assign(new Error(error.message), { code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) });
  return new TransportError(`Request to ${safeUrl(details.url)} failed at the egress proxy: ${error.message}`, { reason: 'proxy', errno: error.errno ?? (error.status !== undefined ? `PROXY_${error.status}` : error.code), retryable: error.retryable }, { providerId: details.providerId, cause });
}
