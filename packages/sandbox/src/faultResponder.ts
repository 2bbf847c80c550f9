import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Fault } from './faults.js';
import type { Lifecycle } from './lifecycle.js';

/** What the request pipeline must do after a fault was applied. */
export type FaultOutcome = 'answered' | 'continue';

/**
 * Applies `fault` to a token request whose body was already read (except for `reset`, which is
 * handled before the body is read). `slow` returns `continue`: the caller then answers normally.
 */
export async function respondWithFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  lifecycle: Lifecycle,
  /** The body of a `status` fault given none: an RFC 6749 error unless the server speaks another dialect (SNAP). */
  defaultErrorBody: (status: number) => unknown = (status) => ({ error: 'server_error', error_description: `sandbox injected HTTP ${status}` }),
): Promise<FaultOutcome> {
  switch (fault.kind) {
    case 'slow':
      return (await lifecycle.delay(fault.delayMs)) ? 'continue' : 'answered';
    case 'hang':
      // Never answered; Lifecycle.stop() destroys the socket.
      return 'answered';
    case 'reset':
    case 'reset-after-body':
      resetSocket(req.socket);
      return 'answered';
    case 'close':
      req.socket.end();
      return 'answered';
    case 'truncated': {
      const body = '{"access_token":"truncated-token","token_type":"Bearer","expires_in":300}';
      const partial = body.slice(0, 20);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.write(partial, () => req.socket.destroySoon());
      return 'answered';
    }
    case 'empty':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      res.end();
      return 'answered';
    case 'html':
      send(res, 200, 'text/html; charset=utf-8', HTML_PAGE);
      return 'answered';
    case 'malformed-json':
      send(res, 200, 'application/json', '{"access_token":"abc","token_type":"Bearer",');
      return 'answered';
    case 'json':
      send(res, fault.status ?? 200, 'application/json', JSON.stringify(fault.body));
      return 'answered';
    case 'large':
      await sendLarge(res, fault.bytes);
      return 'answered';
    case 'status': {
      const headers: Record<string, string> = { ...fault.headers };
      if (fault.retryAfter !== undefined) headers['retry-after'] = formatRetryAfter(fault.retryAfter);
      const body =
        fault.body === undefined
          ? JSON.stringify(defaultErrorBody(fault.status))
          : typeof fault.body === 'string'
            ? fault.body
            : JSON.stringify(fault.body);
      send(res, fault.status, 'application/json', body, headers);
      return 'answered';
    }
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
function formatRetryAfter(value: number | string | Date): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** An RST rather than a FIN where the platform allows it; a plain destroy otherwise. */
function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** Streams a valid JSON token response padded to `bytes`, honouring back-pressure. */
async function sendLarge(res: ServerResponse, bytes: number): Promise<void> {
  const prefix = '{"access_token":"large-token","token_type":"Bearer","expires_in":300,"padding":"';
  const suffix = '"}';
  const padding = Math.max(0, bytes - prefix.length - suffix.length);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(prefix.length + padding + suffix.length),
  });
  res.on('error', () => undefined);
  res.write(prefix);
  const chunk = 'x'.repeat(64 * 1024);
  let left = padding;
  while (left > 0 && !res.destroyed) {
    const part = left >= chunk.length ? chunk : chunk.slice(0, left);
    left -= part.length;
    if (!res.write(part)) {
      // Whichever comes first; the other listener is removed, or a slow reader piles them up.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end(suffix);
}

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>';
