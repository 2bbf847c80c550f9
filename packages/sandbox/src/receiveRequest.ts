import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from './body.js';
import { respondWithFault } from './faultResponder.js';
import type { FaultController } from './faults.js';
import { sendJson } from './jsonResponse.js';
import type { Lifecycle } from './lifecycle.js';
import type { RequestLog } from './requestLog.js';

export interface ReceiveOptions {
  listener: string;
  log: RequestLog;
  lifecycle: Lifecycle;
  /** Present for token requests only: faults apply there and nowhere else. */
  faults?: FaultController;
  /** The body of an injected error status given none (default: RFC 6749 `server_error`). */
  faultErrorBody?: (status: number) => unknown;
}

/**
 * The front of every sandbox server: reads and logs the request, then applies an injected fault
 * if one is active. Returns the body when the request should be answered normally, or undefined
 * when it was already dealt with (fault, oversized body).
 */
export async function receiveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: ReceiveOptions,
): Promise<Buffer | undefined> {
  const fault = options.faults?.take();
  const record = (body: string): void => {
    options.log.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: { ...req.headers },
      body,
      listener: options.listener,
    });
  };

  if (fault?.kind === 'reset') {
    // Before the body is read: the client sees its connection die mid-request.
    record('');
    await respondWithFault(fault, req, res, options.lifecycle);
    return undefined;
  }

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    record('');
    if (err instanceof BodyTooLargeError) {
      sendJson(res, 413, { error: 'invalid_request', error_description: err.message }, { connection: 'close' });
      return undefined;
    }
    throw err;
  }
  record(body.toString('utf8'));

  if (fault && (await respondWithFault(fault, req, res, options.lifecycle, options.faultErrorBody)) === 'answered') return undefined;
  return body;
}
