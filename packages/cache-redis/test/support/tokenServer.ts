import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';

/** How the server answers the next token requests. */
export type TokenServerMode = { kind: 'ok'; delayMs?: number } | { kind: 'fail'; status: number; delayMs?: number } | { kind: 'hang' };

export interface TokenRequestRecord {
  readonly clientId: string | null;
  readonly scope: string | null;
  readonly accessToken: string | undefined;
}

/**
 * A tiny RFC 6749 §4.4 token endpoint over real TLS that counts requests: a token per request,
 * `tok-<n>-<random>`. `beforeAnswer` runs before each answer (tests look at Redis there).
 */
export interface TokenServer {
  readonly url: string;
  readonly requests: TokenRequestRecord[];
  mode: TokenServerMode;
  lifetimeSeconds: number;
  beforeAnswer: ((index: number) => Promise<void>) | undefined;
  /** Resolves when the server has received `count` requests in all. */
  received(count: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTokenServer(tls: { cert: string; key: string }): Promise<TokenServer> {
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const state: TokenServer = {
    url: '',
    requests: [],
    mode: { kind: 'ok' },
    lifetimeSeconds: 3600,
    beforeAnswer: undefined,
    received: (count) => new Promise<void>((resolve) => {
      if (state.requests.length >= count) resolve();
      else waiters.push({ count, resolve });
    }),
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/token') {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(body);
      const index = state.requests.length;
      const mode = state.mode;
      const accessToken = mode.kind !== 'ok' ? undefined : `tok-${index + 1}-${randomBytes(12).toString('hex')}`;
      state.requests.push({ clientId: form.get('client_id'), scope: form.get('scope'), accessToken });
      for (const w of waiters.splice(0)) {
        if (state.requests.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      if (mode.kind === 'hang') return; // never answered: the socket is destroyed by stop()
      const answer = (): void => {
        if (mode.kind === 'fail') {
          res.writeHead(mode.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: state.lifetimeSeconds, scope: form.get('scope') ?? undefined }));
      };
      const hook = state.beforeAnswer ? state.beforeAnswer(index) : Promise.resolve();
      void hook.then(() => setTimeout(answer, mode.delayMs ?? 0), () => setTimeout(answer, mode.delayMs ?? 0));
    });
  });
  // Node closes an idle keep-alive socket after 5 s; a client reusing it at that moment gets "socket
  // hang up" (ECONNRESET). The child processes fetch with maxRetries 0 (to count requests exactly),
  // so a stampede round starting ~5 s after the last one failed whole keys that way on a busy runner
  // (34 callers, Cluster recovery round). The bank of these tests keeps idle sockets for 50 s.
  server.keepAliveTimeout = 50_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  (state as { url: string }).url = `https://127.0.0.1:${port}/token`;
  return state;
}
