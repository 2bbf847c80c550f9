/**
 * Faults a test can inject in front of a token endpoint, to exercise a client's timeouts, retries,
 * size limits and response validation against a real socket.
 */

interface FaultBase {
  /** How many token requests this fault applies to; until cleared when absent. */
  times?: number;
}

export type Fault = FaultBase &
  (
    | {
        /** Answers with this status (429, 500, 502, 503, 504, ...) and a JSON error body. */
        kind: 'status';
        status: number;
        /** An object or array is sent as JSON; a string as is. Default: an RFC 6749 style error. */
        body?: string | Record<string, unknown> | unknown[];
        headers?: Record<string, string>;
        /** Seconds (number or digit string) or an HTTP date (Date or preformatted string). */
        retryAfter?: number | string | Date;
      }
    | { /** Waits, then answers normally. */ kind: 'slow'; delayMs: number }
    | { /** Never answers; the socket is closed by stop(). */ kind: 'hang' }
    | { /** Destroys the socket as soon as the request head arrives. */ kind: 'reset' }
    | { /** Reads the body, then destroys the socket. */ kind: 'reset-after-body' }
    | { /** Reads the body, then ends the socket without a response. */ kind: 'close' }
    | { /** Declares a Content-Length larger than the body sent, then ends the socket. */ kind: 'truncated' }
    | { /** 200 with an empty body. */ kind: 'empty' }
    | { /** 200 text/html page (a login page or a proxy's error page). */ kind: 'html' }
    | { /** 200 application/json that does not parse. */ kind: 'malformed-json' }
    | { /** Any JSON with any status (default 200), e.g. no access_token or a negative expires_in. */ kind: 'json'; status?: number; body: unknown }
    | { /** 200 application/json of about `bytes` bytes. */ kind: 'large'; bytes: number }
  );

export type FaultKind = Fault['kind'];

interface Pending {
  fault: Fault;
  remaining: number;
}

/**
 * A queue of faults applied to the next token requests. `set` replaces the queue, `enqueue` adds
 * a fault after the queued ones (e.g. a 503 once, then a 429 once, then normal answers).
 */
export class FaultController {
  #queue: Pending[] = [];
  #hits = 0;

  /** Applies `fault` to the next `fault.times` token requests (until cleared when absent). */
  set(fault: Fault): void {
    this.#queue = [toPending(fault)];
  }

  /** Adds `fault` after the ones already queued. */
  enqueue(fault: Fault): void {
    this.#queue.push(toPending(fault));
  }

  /** Back to normal answers. */
  clear(): void {
    this.#queue = [];
  }

  /** The fault the next token request will get, if any. */
  get active(): Fault | undefined {
    return this.#queue[0]?.fault;
  }

  /** How many requests were answered with a fault since start. */
  get hits(): number {
    return this.#hits;
  }

  /** Consumes one application of the head fault. Called by the servers for each token request. */
  take(): Fault | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#queue.shift();
    this.#hits += 1;
    return head.fault;
  }
}

function toPending(fault: Fault): Pending {
  const times = fault.times;
  if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
    throw new RangeError(`fault.times must be a positive integer, got ${String(times)}`);
  }
  return { fault, remaining: times ?? Number.POSITIVE_INFINITY };
}
