import type { Fault } from '@finauth/sandbox';

/** One HTTP attempt, connect to last byte: small, so the persistent-timeout cases stay short. */
export const TIMEOUT_MS = 1000;
/** Retries as configured for the matrix: a Retry-After up to 2 s is honoured, a longer one fails at once. */
export const RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 2000, baseDelayMs: 50 });
/**
 * Time allowed on top of what a case must wait (timeouts, Retry-After): loopback TLS, signing and
 * the jittered backoff (at most 50 + 100 ms with RETRY) on a busy machine. A correctness bound — a
 * case that needs more has waited for something it should not have — not a speed measurement.
 */
export const SLACK_MS = 1500;

export type ErrorClass = 'TokenEndpointError' | 'TransportError' | 'ResponseFormatError';

export type Outcome =
  | { readonly kind: 'token' }
  | {
      readonly kind: 'error';
      readonly errorClass: ErrorClass;
      /** Fields the error must carry, compared with deep equality. */
      readonly fields: Readonly<Record<string, unknown>>;
      readonly message?: RegExp;
    };

export interface FaultCase {
  readonly name: string;
  /** Queued in order in front of the token endpoint; a fault without `times` lasts until cleared. */
  readonly faults: () => Fault[];
  readonly outcome: Outcome;
  /** Token requests the call makes, before any strategy-specific rediscovery attempt. */
  readonly attempts: number;
  /** The least time the call must take (it had to wait for a timeout or a Retry-After). */
  readonly minMs?: number;
  /** The most time the call may take, before any strategy-specific rediscovery attempt. */
  readonly maxMs: number;
}

const token: Outcome = { kind: 'token' };
const once = (fault: Fault): (() => Fault[]) => () => [{ ...fault, times: 1 } as Fault];
const always = (fault: Fault): (() => Fault[]) => () => [fault];
const endpointError = (fields: Record<string, unknown>, message?: RegExp): Outcome => ({ kind: 'error', errorClass: 'TokenEndpointError', fields, ...(message ? { message } : {}) });
const transportError = (reason: string, retryable: boolean): Outcome => ({ kind: 'error', errorClass: 'TransportError', fields: { reason, retryable } });
const notAToken = (message: RegExp): Outcome => ({ kind: 'error', errorClass: 'ResponseFormatError', fields: { status: 200 }, message });
const validBody = { access_token: 'fault-injected-token', token_type: 'Bearer' };

/** Every fault of issue 7, with what must happen and how long it may take. */
export const FAULT_CASES: readonly FaultCase[] = [
  // RFC 9110 §10.2.3: Retry-After as delay-seconds or an HTTP-date; honoured up to maxDelayMs.
  { name: '429 with Retry-After: 1 (seconds), once', faults: once({ kind: 'status', status: 429, retryAfter: 1 }), outcome: token, attempts: 2, minMs: 1000, maxMs: 1000 + SLACK_MS },
  {
    name: '429 with Retry-After as an HTTP date 2 s ahead, once',
    // An HTTP date has whole seconds: the wait is between 1 and 2 s.
    faults: () => [{ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 2000), times: 1 }],
    outcome: token,
    attempts: 2,
    minMs: 900,
    maxMs: 2000 + SLACK_MS,
  },
  {
    name: '429 with Retry-After beyond maxDelayMs (3600 s)',
    faults: always({ kind: 'status', status: 429, retryAfter: 3600 }),
    outcome: endpointError({ status: 429, retryable: true, retryAfterMs: 3_600_000 }),
    attempts: 1,
    maxMs: SLACK_MS,
  },
  { name: '500, never retried', faults: always({ kind: 'status', status: 500 }), outcome: endpointError({ status: 500, retryable: false, error: 'server_error' }), attempts: 1, maxMs: SLACK_MS },
  { name: '502 once', faults: once({ kind: 'status', status: 502 }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: '502 persisting', faults: always({ kind: 'status', status: 502 }), outcome: endpointError({ status: 502, retryable: true }), attempts: 3, maxMs: SLACK_MS },
  { name: '503 once', faults: once({ kind: 'status', status: 503 }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: '503 persisting', faults: always({ kind: 'status', status: 503 }), outcome: endpointError({ status: 503, retryable: true }), attempts: 3, maxMs: SLACK_MS },
  { name: '504 once', faults: once({ kind: 'status', status: 504 }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: '504 persisting', faults: always({ kind: 'status', status: 504 }), outcome: endpointError({ status: 504, retryable: true }), attempts: 3, maxMs: SLACK_MS },
  { name: 'connection reset before the request is read, once', faults: once({ kind: 'reset' }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: 'connection reset before the request is read, persisting', faults: always({ kind: 'reset' }), outcome: transportError('network', true), attempts: 3, maxMs: SLACK_MS },
  { name: 'connection reset after the request was sent, once', faults: once({ kind: 'reset-after-body' }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: 'connection reset after the request was sent, persisting', faults: always({ kind: 'reset-after-body' }), outcome: transportError('network', true), attempts: 3, maxMs: SLACK_MS },
  { name: 'connection closed without a response, once', faults: once({ kind: 'close' }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: 'connection closed without a response, persisting', faults: always({ kind: 'close' }), outcome: transportError('network', true), attempts: 3, maxMs: SLACK_MS },
  { name: 'a response that never comes, once', faults: once({ kind: 'hang' }), outcome: token, attempts: 2, minMs: TIMEOUT_MS, maxMs: TIMEOUT_MS + SLACK_MS },
  { name: 'a response that never comes, persisting', faults: always({ kind: 'hang' }), outcome: transportError('timeout', true), attempts: 3, minMs: 3 * TIMEOUT_MS, maxMs: 3 * TIMEOUT_MS + SLACK_MS },
  { name: 'a slow response just inside the timeout', faults: always({ kind: 'slow', delayMs: TIMEOUT_MS - 300 }), outcome: token, attempts: 1, minMs: TIMEOUT_MS - 300, maxMs: TIMEOUT_MS + 500 },
  { name: 'a truncated body, once', faults: once({ kind: 'truncated' }), outcome: token, attempts: 2, maxMs: SLACK_MS },
  { name: 'a truncated body, persisting', faults: always({ kind: 'truncated' }), outcome: transportError('network', true), attempts: 3, maxMs: SLACK_MS },
  // A 2xx that is not a token is the server's bug, not a transient failure: no retry.
  { name: 'an empty 200', faults: always({ kind: 'empty' }), outcome: notAToken(/empty body/), attempts: 1, maxMs: SLACK_MS },
  { name: 'an HTML 200', faults: always({ kind: 'html' }), outcome: notAToken(/HTML page/), attempts: 1, maxMs: SLACK_MS },
  { name: 'a 200 of malformed JSON', faults: always({ kind: 'malformed-json' }), outcome: notAToken(/malformed JSON/), attempts: 1, maxMs: SLACK_MS },
  { name: 'a JSON 200 without access_token', faults: always({ kind: 'json', body: { token_type: 'Bearer', expires_in: 300 } }), outcome: notAToken(/access_token/), attempts: 1, maxMs: SLACK_MS },
  { name: 'a negative expires_in', faults: always({ kind: 'json', body: { ...validBody, expires_in: -300 } }), outcome: notAToken(/expires_in/), attempts: 1, maxMs: SLACK_MS },
  // Cached for 31,000 years it would be served long after the bank revoked it.
  { name: 'an absurd expires_in (10^12 s)', faults: always({ kind: 'json', body: { ...validBody, expires_in: 1e12 } }), outcome: notAToken(/expires_in/), attempts: 1, maxMs: SLACK_MS },
  { name: 'an absurd expires_in as a string', faults: always({ kind: 'json', body: { ...validBody, expires_in: '999999999999999' } }), outcome: notAToken(/expires_in/), attempts: 1, maxMs: SLACK_MS },
  // The default limit is 1 MiB: reading stops there, the rest is never downloaded.
  { name: 'a 10 MB body', faults: always({ kind: 'large', bytes: 10 * 1024 * 1024 }), outcome: transportError('too_large', false), attempts: 1, maxMs: SLACK_MS },
];
