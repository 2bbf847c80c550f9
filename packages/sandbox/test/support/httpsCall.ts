import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface CallTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A form body (sent as application/x-www-form-urlencoded unless headers say otherwise). */
  form?: Record<string, string> | string;
  tls?: CallTls;
  /** Client-side timeout in ms; the promise rejects with an Error whose message is 'client timeout'. */
  timeoutMs?: number;
}

export interface CallResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): Record<string, unknown>;
}

/** One HTTPS request on a fresh connection (agent: false), trusting the sandbox CA only. */
export function call(url: string, options: CallOptions = {}): Promise<CallResult> {
  const body =
    options.form === undefined
      ? undefined
      : typeof options.form === 'string'
        ? options.form
        : new URLSearchParams(options.form).toString();
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? (body !== undefined ? 'POST' : 'GET'), headers, agent: false, ...options.tls },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) {
            reject(new Error('response incomplete'));
            return;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    }
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves to the rejection of `promise`, failing if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  throw new Error('expected the request to fail, but it succeeded');
}
