import type { ServerResponse } from 'node:http';

/** Sends `body` as JSON with `Cache-Control: no-store` (RFC 6749 §5.1 for token responses). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The access token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 9110 §11.1). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^(\S+) (\S+)$/.exec(authorization ?? '');
  if (!match || match[1]?.toLowerCase() !== 'bearer') return undefined;
  return match[2];
}
