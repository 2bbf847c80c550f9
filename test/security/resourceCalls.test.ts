import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, TransportError, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import axios from 'axios';
import { expect } from 'chai';
import { gatewayProvider, rejection } from '@finauth-test/support';

/** A server that records every connection and request it sees (and the Authorization sent). */
interface Watched {
  readonly origin: string;
  connections: number;
  readonly requests: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

async function watch(server: HttpServer, scheme: 'http' | 'https', respond: (req: IncomingMessage) => { status: number; headers?: Record<string, string> }): Promise<Watched> {
  const w: Watched = {
    origin: '',
    connections: 0,
    requests: [],
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', () => void (w.connections += 1));
  server.on('request', (req: IncomingMessage, res) => {
    w.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const { status, headers } = respond(req);
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('resource');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (w as { origin: string }).origin = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return w;
}

/**
 * Issue 12 §1: http(id) sends a provider's token over https only, to a URL without user info, never
 * through a redirect, and — with `resourceOrigins` — to those origins only. Over real sockets: a
 * plain node:http server and a second https origin each count what reaches them; a refused call
 * must reach neither (no connection at all), whatever the URL's form or an interceptor did to it.
 */
describe('http(): where a bearer token may go (resource policy)', () => {
  let sb: Sandbox;
  let plain: Watched;
  let other: Watched;
  let redirector: Watched;
  let open: Finauth; // no resourceOrigins
  let fenced: Finauth; // resourceOrigins: the gateway and the redirector
  let token: string;

  before(async () => {
    sb = await startSandbox();
    const tls = { cert: readFileSync(sb.pki.serverCert), key: readFileSync(sb.pki.serverKey) };
    plain = await watch(createHttpServer(), 'http', () => ({ status: 200 }));
    other = await watch(createHttpsServer(tls) as unknown as HttpServer, 'https', () => ({ status: 200 }));
    redirector = await watch(createHttpsServer(tls) as unknown as HttpServer, 'https', (req) => ({
      status: 302,
      headers: { location: req.url === '/to-plain' ? `${plain.origin}/landed` : `${other.origin}/landed` },
    }));
    open = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb)] });
    fenced = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb, { resourceOrigins: [new URL(sb.gateway.helloUrl).origin, `${redirector.origin}/`] })] });
    token = (await open.getToken('bnp')).accessToken;
  });
  after(async () => {
    await open?.close();
    await fenced?.close();
    await Promise.all([plain?.close(), other?.close(), redirector?.close()]);
    await sb?.stop();
  });
  afterEach(() => {
    // Each test states what reached which server; start every count from zero.
    for (const w of [plain, other, redirector]) {
      w.connections = 0;
      w.requests.length = 0;
    }
  });

  const carriesToken = (w: Watched): number => w.requests.filter((r) => r.authorization?.includes(token)).length;

  async function refused(call: () => Promise<unknown>, reason: 'protocol' | 'origin'): Promise<TransportError> {
    const error = await rejection(call);
    expect(TransportError.is(error), `got ${String(error)}`).to.equal(true);
    const e = error as TransportError;
    expect(e).to.include({ reason, retryable: false, providerId: 'bnp' });
    expect(e.message).to.match(/nothing was sent$/);
    for (const text of [e.message, String(e.stack), JSON.stringify(e), inspect(e)]) expect(text).not.to.include(token);
    return e;
  }

  function expectNothingReached(...servers: Watched[]): void {
    for (const w of servers) {
      expect(carriesToken(w), `${w.origin} requests carrying the token`).to.equal(0);
      expect(w.connections, `${w.origin} connections`).to.equal(0);
    }
  }

  describe('cleartext: only https URLs', () => {
    it('refuses an absolute http:// URL (reason protocol); the plain server sees no connection', async () => {
      const e = await refused(() => open.http('bnp').get(`${plain.origin}/x`), 'protocol');
      expect(e.message).to.include(`${plain.origin}/x`).and.include('only https URLs');
      expectNothingReached(plain);
    });

    it('refuses an http baseURL with a relative URL', async () => {
      await refused(() => open.http('bnp').get('/accounts', { baseURL: `${plain.origin}/api` }), 'protocol');
      expectNothingReached(plain);
    });

    it('refuses whatever the casing (HTTP://) and a protocol-relative URL', async () => {
      await refused(() => open.http('bnp').get(`${plain.origin.replace('http', 'HTTP')}/x`), 'protocol');
      await refused(() => open.http('bnp').get(`//127.0.0.1:${new URL(plain.origin).port}/x`), 'protocol');
      expectNothingReached(plain);
    });

    it('refuses http after a user interceptor rewrote an https URL to it (axios default order: newest interceptor first)', async () => {
      const client = open.http('bnp');
      const id = client.interceptors.request.use((config) => ({ ...config, url: `${plain.origin}/rewritten` }));
      try {
        await refused(() => client.get(sb.gateway.helloUrl), 'protocol');
      } finally {
        client.interceptors.request.eject(id);
      }
      expectNothingReached(plain);
    });

    it('refuses http after a user interceptor rewrote the URL, with oldest-first interceptor order too', async () => {
      const client = open.http('bnp');
      const id = client.interceptors.request.use((config) => ({ ...config, baseURL: plain.origin, url: '/rewritten' }));
      try {
        await refused(() => client.get(sb.gateway.helloUrl, { transitional: { legacyInterceptorReqResOrdering: false } }), 'protocol');
      } finally {
        client.interceptors.request.eject(id);
      }
      expectNothingReached(plain);
    });

    it('an https call through the same client still works (control: the gateway answers 200 to the token)', async () => {
      const res = await open.http('bnp').get(sb.gateway.helloUrl);
      expect(res.status).to.equal(200);
    });
  });

  describe('user info and axios options that would send the token elsewhere', () => {
    it('refuses a URL with user info; no part of it appears in the error', async () => {
      const url = `https://Canary-User:Canary-Pass-91f3@127.0.0.1:${new URL(other.origin).port}/x`;
      const e = await refused(() => open.http('bnp').get(url), 'protocol');
      for (const text of [e.message, String(e.stack), JSON.stringify(e), inspect(e)]) expect(text).not.to.match(/Canary-User|Canary-Pass/);
      expectNothingReached(other);
    });

    it('refuses a request asking to follow redirects, or to go through an axios proxy, or to a socketPath', async () => {
      await refused(() => open.http('bnp').get(`${other.origin}/x`, { maxRedirects: 5 }), 'protocol');
      await refused(() => open.http('bnp').get(`${other.origin}/x`, { proxy: { protocol: 'http', host: '127.0.0.1', port: Number(new URL(plain.origin).port) } }), 'protocol');
      await refused(() => open.http('bnp').get(`${other.origin}/x`, { socketPath: '/tmp/finauth-nowhere.sock' }), 'protocol');
      expectNothingReached(other, plain);
    });

    it('a request given its own adapter bypasses finauth and carries no token', async () => {
      const res = await open.http('bnp').get(`${other.origin}/own-adapter`, { adapter: axios.getAdapter('http') });
      expect(res.status).to.equal(200);
      expect(other.requests).to.have.length(1);
      expect(other.requests[0]!.authorization).to.equal(undefined);
    });
  });

  describe('redirects are not followed', () => {
    it('a 302 to another https origin or to http:// is returned as a 302; the target sees nothing', async () => {
      for (const path of ['/to-other', '/to-plain']) {
        const error = await rejection(() => fenced.http('bnp').get(`${redirector.origin}${path}`));
        expect(axios.isAxiosError(error) && error.response?.status, path).to.equal(302);
        expect(JSON.stringify(error)).not.to.include(token);
      }
      expect(redirector.requests).to.have.length(2);
      expectNothingReached(other, plain);
    });
  });

  describe('resourceOrigins', () => {
    let fencedToken: string;
    before(async () => {
      fencedToken = (await fenced.getToken('bnp')).accessToken;
    });

    it('refuses another https origin (reason origin), naming the allowed ones; it sees no connection', async () => {
      const e = await refused(() => fenced.http('bnp').get(`${other.origin}/x`), 'origin');
      expect(e.message).to.include(other.origin).and.include(new URL(sb.gateway.helloUrl).origin).and.include(redirector.origin);
      expect(other.requests.filter((r) => r.authorization?.includes(fencedToken))).to.have.length(0);
      expectNothingReached(other);
    });

    it('refuses the same host on another port, and an allowed origin over http', async () => {
      const gateway = new URL(sb.gateway.helloUrl);
      await refused(() => fenced.http('bnp').get(`https://127.0.0.1:${new URL(other.origin).port}${gateway.pathname}`), 'origin');
      await refused(() => fenced.http('bnp').get(sb.gateway.helloUrl.replace('https:', 'http:')), 'protocol');
      expectNothingReached(other);
    });

    it('sends the token to a listed origin (a trailing "/" in the config is the same origin)', async () => {
      const res = await fenced.http('bnp').get(sb.gateway.helloUrl);
      expect(res.status).to.equal(200);
      const viaRedirectorOrigin = await rejection(() => fenced.http('bnp').get(`${redirector.origin}/to-other`));
      expect(axios.isAxiosError(viaRedirectorOrigin) && viaRedirectorOrigin.response?.status).to.equal(302);
      expect(redirector.requests[0]!.authorization).to.equal(`Bearer ${fencedToken}`);
    });

    it('without resourceOrigins any https origin receives the token (what finauth doctor warns about)', async () => {
      const res = await open.http('bnp').get(`${other.origin}/anywhere`);
      expect(res.status).to.equal(200);
      expect(carriesToken(other)).to.equal(1);
    });
  });

  describe('configuration', () => {
    for (const [value, message] of [
      [['http://api.bank.example'], /\[0\] must use https:/],
      [['https://api.bank.example/v1'], /\[0\] must not have a path/],
      [['https://api.bank.example', 'https://api.bank.example?x=1'], /\[1\] must not have a query/],
      [['https://api.bank.example#f'], /\[0\] must not have a fragment/],
      [['https://user:Canary-Secret-5521@api.bank.example'], /\[0\] must not carry user info/],
      [['api.bank.example'], /\[0\] is not a URL/],
      [[42], /\[0\] must be a string/],
      [[], /at least one origin/],
      ['https://api.bank.example', /must be an array/],
    ] as const) {
      it(`refuses resourceOrigins ${JSON.stringify(value)} at creation, naming the entry`, () => {
        let error: unknown;
        try {
          createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb, { resourceOrigins: value })] });
        } catch (e) {
          error = e;
        }
        const issues = (error as { issues?: { path: string; message: string }[] }).issues ?? [];
        expect(issues.map((i) => i.path)).to.deep.equal(['providers[0].resourceOrigins']);
        expect(issues[0]!.message).to.match(message);
        expect(JSON.stringify(error)).not.to.include('Canary-Secret');
      });
    }
  });
});
