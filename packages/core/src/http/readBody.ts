import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** The body exceeded the provider's limit: reported as TransportError reason `too_large`. */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED';
  constructor(limit: number) {
    super(`response body exceeds ${limit} bytes (maxContentLength)`);
  }
}

/** The connection ended before the body did (a truncated response). */
const prematureClose = (): Error => Object.assign(new Error('response closed before it was complete'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/**
 * Reads a response body as UTF-8 text, refusing more than `limit` bytes while reading (after
 * decompression, so a small compressed bomb is refused too). finauth sends no Accept-Encoding, but a
 * server that compresses anyway is read.
 */
export function readBody(res: IncomingMessage, limit: number, done: (error: Error | undefined, body?: string) => void): void {
  const declared = Number(res.headers['content-length']);
  if (declared > limit) {
    res.destroy();
    return done(new BodyTooLargeError(limit));
  }
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  let source: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = res.pipe(createGunzip());
  else if (encoding === 'deflate') source = res.pipe(createInflate());
  else if (encoding === 'br') source = res.pipe(createBrotliDecompress());
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | undefined, body?: string): void => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  source.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      if (source !== res) source.destroy();
      return finish(new BodyTooLargeError(limit));
    }
    chunks.push(chunk);
  });
  source.on('end', () => {
    if (!res.complete) return finish(prematureClose());
    finish(undefined, chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
  });
  source.on('error', (error: Error) => finish(error));
  if (source !== res) res.on('error', (error: Error) => finish(error));
  res.on('close', () => {
    if (!res.complete) finish(prematureClose());
  });
}
