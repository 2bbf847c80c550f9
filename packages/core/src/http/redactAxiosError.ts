import { AxiosHeaders, type AxiosError } from 'axios';

const MASK = '[REDACTED]';

/**
 * An AxiosError from `http()` carries the request that failed: `config.headers.Authorization`
 * (the bearer token, in `JSON.stringify(error)`), `config.httpsAgent` (whose options hold the
 * client certificate's private key) and the raw request head in `request._header` (in what
 * `util.inspect(error)` prints). Users log these errors, so before one leaves finauth the header is masked
 * and the agent and request objects are made non-enumerable: still there for code that looks,
 * never printed by `util.inspect` or serialised.
 */
export function redactAxiosError(error: AxiosError): AxiosError {
  const headers = error.config?.headers;
  if (headers) {
    const masked = AxiosHeaders.from(headers);
    if (masked.has('Authorization')) masked.set('Authorization', `${/^dpop\s/i.test(String(masked.get('Authorization'))) ? 'DPoP' : 'Bearer'} ${MASK}`);
    error.config!.headers = masked;
  }
  if (error.config) {
    hide(error.config, 'httpsAgent');
    hide(error.config, 'httpAgent');
  }
  hide(error, 'request');
  if (error.response) hide(error.response, 'request');
  return error;
}

function hide(target: object, property: string): void {
  if (!Object.prototype.hasOwnProperty.call(target, property)) return;
  const value = (target as Record<string, unknown>)[property];
  Object.defineProperty(target, property, { value, enumerable: false, configurable: true, writable: true });
}
