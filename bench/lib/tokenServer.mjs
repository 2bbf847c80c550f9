// The benchmark's bank: a minimal token server in its own process (so its CPU is not the client's),
// on 127.0.0.1, mutual TLS, keep-alive, a discovery document and cheap token responses. It does not
// verify assertions: the same for every client measured, and the figure is the client's cost.
// It counts token requests and TLS handshakes; the parent reads and resets them over IPC.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const { cert, key, ca } = JSON.parse(process.env.BENCH_SERVER_TLS);
// A slow bank (the refresh-ahead benchmark): every token response waits this long.
const delayMs = Number(process.env.BENCH_SERVER_DELAY_MS ?? '0');
const stats = { tokenRequests: 0, handshakes: 0 };
let counter = 0;
let origin = '';

const server = createServer({ cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(ca), requestCert: true, rejectUnauthorized: true }, (req, res) => {
  if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
    const doc = { issuer: origin, token_endpoint: `${origin}/token`, mtls_endpoint_aliases: { token_endpoint: `${origin}/mtls/token` }, token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'] };
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(JSON.stringify(doc));
    return;
  }
  if (req.method === 'GET' && req.url === '/resource') {
    // A protected resource that checks nothing: the figure is the client's cost per call.
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  req.resume();
  req.on('end', () => {
    stats.tokenRequests += 1;
    counter += 1;
    // A request with a DPoP proof gets a DPoP-bound token (RFC 9449 §5), so the client sends proofs to the resource.
    const type = req.headers['dpop'] ? 'DPoP' : 'Bearer';
    const body = `{"access_token":"bench-token-${counter}-${process.pid}","token_type":"${type}","expires_in":300}`;
    const send = () => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
});
server.keepAliveTimeout = 120_000;
server.on('secureConnection', () => {
  stats.handshakes += 1;
});
server.listen(0, '127.0.0.1', () => {
  origin = `https://127.0.0.1:${server.address().port}`;
  process.send({ type: 'ready', origin });
});
process.on('message', (message) => {
  if (message.type === 'stats') process.send({ type: 'stats', stats: { ...stats } });
  if (message.type === 'reset') {
    stats.tokenRequests = 0;
    stats.handshakes = 0;
    process.send({ type: 'reset' });
  }
  if (message.type === 'stop') server.close(() => process.exit(0)) && server.closeAllConnections();
});
