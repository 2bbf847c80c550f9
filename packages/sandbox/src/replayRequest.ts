import { IncomingMessage } from 'node:http';

/**
 * A fresh IncomingMessage on the same socket that yields `body` again: the sandbox reads (and
 * logs) each body before oidc-provider, which then parses it from this replay exactly as it would
 * from the wire. `url` lets an alias path be routed to the provider's own endpoint.
 */
export function replayRequest(original: IncomingMessage, body: Buffer, url: string): IncomingMessage {
  const replay = new IncomingMessage(original.socket);
  replay.method = original.method;
  replay.url = url;
  replay.headers = original.headers;
  replay.rawHeaders = original.rawHeaders;
  replay.httpVersion = original.httpVersion;
  replay.httpVersionMajor = original.httpVersionMajor;
  replay.httpVersionMinor = original.httpVersionMinor;
  if (body.length > 0) replay.push(body);
  replay.push(null);
  // Marks the message as fully received so that destroying it never aborts the shared socket.
  replay.complete = true;
  return replay;
}
