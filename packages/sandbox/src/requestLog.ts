import type { IncomingHttpHeaders } from 'node:http';

/** One request as a server received it, for tests to assert on what a client actually sent. */
export interface LoggedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  /** Header names are lower-cased (node's own normalisation). */
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text ('' when none, or when the connection was reset before it was read). */
  body: string;
  /** Which listener received it: `main`, `alias`, `basic` (OP) or `gateway`. */
  listener: string;
}

/** An array of {@link LoggedRequest} that tests can empty between cases. */
export class RequestLog extends Array<LoggedRequest> {
  // filter/map/slice return plain arrays, not logs.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  clear(): void {
    this.length = 0;
  }
}
