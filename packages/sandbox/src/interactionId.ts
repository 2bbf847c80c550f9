import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';

/**
 * FAPI 2.0 / the OFP token endpoint OpenAPI description: every response carries `x-fapi-interaction-id`, the request's value or a
 * fresh RFC 4122 UUID. Set through writeHead so it survives frameworks that reset headers on error.
 * Returns the value used.
 */
export function echoInteractionId(req: IncomingMessage, res: ServerResponse): string {
  const received = req.headers[INTERACTION_ID_HEADER];
  const id = typeof received === 'string' && received.length > 0 ? received : randomUUID();
  res.setHeader(INTERACTION_ID_HEADER, id);
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithInteractionId(this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent && !this.hasHeader(INTERACTION_ID_HEADER)) this.setHeader(INTERACTION_ID_HEADER, id);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  return id;
}

export function hasInteractionId(req: IncomingMessage): boolean {
  const value = req.headers[INTERACTION_ID_HEADER];
  return typeof value === 'string' && value.length > 0;
}
