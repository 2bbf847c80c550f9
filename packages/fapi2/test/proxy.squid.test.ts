import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { createFinauth, TransportError, type Finauth, type FinauthOptions } from '@finauth/core';
import { startSandbox, startSquid, type Sandbox, type SquidProxy } from '@finauth/sandbox';
import { fapi2 } from '../src/index.js';
import { fapiProvider, RecordingLogger } from '@finauth-test/support';

const PROXY_USER = 'egress-user';
const PROXY_PASSWORD = 'pr0xy-Passw0rd-canary';

/** A port nothing listens on: the proxy that is down. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Squid writes a CONNECT line when the tunnel closes: wait for `count` lines after close(). */
async function connectLines(proxy: SquidProxy, count: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const lines = proxy.accessLog().split('\n').filter(Boolean);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Squid's native access-log line for a CONNECT: `time elapsed client code/status bytes CONNECT host:port user hierarchy type`. */
const CONNECT_LINE = /^\d+\.\d{3}\s+\d+ 127\.0\.0\.1 \S+\/(\d{3}) \d+ CONNECT (127\.0\.0\.1:\d+) (\S+) \S+ \S+$/;
const hostPort = (url: string): string => new URL(url).host;

describe('egress proxy: fapi2 through a real Squid (CONNECT tunnels, TLS end to end)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let squid: SquidProxy;
  let authSquid: SquidProxy;
  const open: Finauth[] = [];
  const savedEnv = { ...process.env };

  before(async () => {
    [sandbox, squid, authSquid] = await Promise.all([startSandbox(), startSquid({ deniedPorts: '1-1023' }), startSquid({ users: { [PROXY_USER]: PROXY_PASSWORD } })]);
  });
  after(async () => {
    await Promise.all([sandbox?.stop(), squid?.stop(), authSquid?.stop()]);
  });
  beforeEach(() => {
    sandbox.ofp.log.clear();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'FINAUTH_TEST_PROXY_URL', 'FINAUTH_TEST_PROXY_PASSWORD']) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
  });

  function finauth(providers: Record<string, unknown>[], extra: Partial<FinauthOptions> = {}): Finauth {
    const auth = createFinauth({ strategies: [fapi2()], providers, ...extra });
    open.push(auth);
    return auth;
  }
  async function closeAll(): Promise<void> {
    await Promise.all(open.splice(0).map((a) => a.close()));
  }
  const sentCredentials = (): string[] =>
    sandbox.ofp.log.filter((l) => l.method === 'POST').flatMap((l) => {
      const body = new URLSearchParams(l.body);
      return [body.get('client_assertion'), body.get('client_id')].filter((v): v is string => !!v);
    });

  it('gets a certificate-bound private_key_jwt token through the proxy; the proxy logs only CONNECT host:port', async () => {
    const before = squid.accessLog().split('\n').filter(Boolean).length;
    const auth = finauth([fapiProvider(sandbox, 'ps256', { proxy: squid.url })]);
    const token = await auth.getToken('ps256', { forceRefresh: true });
    const info = await sandbox.ofp.introspect(token.accessToken);
    expect(info['active']).to.equal(true);
    // The bank saw the client certificate: the TLS session ran end to end, inside the tunnel.
    const der = new X509Certificate(readFileSync(sandbox.pki.clients.transport.cert)).raw;
    expect((info['cnf'] as Record<string, unknown>)['x5t#S256']).to.equal(createHash('sha256').update(der).digest('base64url'));
    const secrets = [token.accessToken, ...sentCredentials()];
    expect(secrets.length).to.be.greaterThan(2);
    await closeAll();
    const lines = (await connectLines(squid, before + 2)).slice(before);
    // Discovery at the issuer, the token at the mTLS alias (another port): two tunnels, nothing else.
    expect(lines.map((l) => CONNECT_LINE.exec(l)?.[2]).sort()).to.deep.equal([hostPort(sandbox.ofp.issuer), hostPort(sandbox.ofp.mtlsTokenEndpoint!)].sort());
    for (const line of lines) expect(CONNECT_LINE.exec(line)?.[1], line).to.equal('200');
    const log = squid.accessLog();
    for (const secret of secrets) expect(log).not.to.include(secret);
    expect(log).not.to.match(/POST|GET|\/token|well-known|eyJ/);
  });

  it('reaches the certificate-bound resource with http() through the same tunnel agent', async () => {
    const before = squid.accessLog().split('\n').filter(Boolean).length;
    const auth = finauth([fapiProvider(sandbox, 'ps256', { proxy: squid.url })]);
    const response = await auth.http('ps256').get(sandbox.ofp.resourceUrl);
    expect(response.status).to.equal(200);
    const token = await auth.getToken('ps256');
    await closeAll();
    const lines = (await connectLines(squid, before + 2)).slice(before);
    expect(lines.map((l) => CONNECT_LINE.exec(l)?.[2])).to.include(hostPort(sandbox.ofp.resourceUrl));
    expect(squid.accessLog()).not.to.include(token.accessToken);
  });

  it('follows HTTPS_PROXY with "proxy": "env", and NO_PROXY sends matching hosts direct', async () => {
    process.env['HTTPS_PROXY'] = squid.url;
    delete process.env['https_proxy'];
    delete process.env['NO_PROXY'];
    delete process.env['no_proxy'];
    let before = squid.accessLog().split('\n').filter(Boolean).length;
    await finauth([fapiProvider(sandbox, 'es256', { proxy: 'env' })]).getToken('es256');
    await closeAll();
    expect((await connectLines(squid, before + 2)).length - before).to.equal(2);

    process.env['NO_PROXY'] = 'localhost, 127.0.0.1';
    before = squid.accessLog().split('\n').filter(Boolean).length;
    const token = await finauth([fapiProvider(sandbox, 'es256', { proxy: 'env' })]).getToken('es256');
    expect((await sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    await closeAll();
    await new Promise((r) => setTimeout(r, 300));
    expect(squid.accessLog().split('\n').filter(Boolean).length, 'no tunnel for a NO_PROXY host').to.equal(before);
  });

  it('authenticates to the proxy with credentials from an env: reference, and never prints them', async () => {
    process.env['FINAUTH_TEST_PROXY_URL'] = `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${authSquid.port}`;
    const logger = new RecordingLogger();
    const auth = finauth([fapiProvider(sandbox, 'ps256', { proxy: 'env:FINAUTH_TEST_PROXY_URL' })], { logger });
    const token = await auth.getToken('ps256');
    expect((await sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    await closeAll();
    const lines = await connectLines(authSquid, 2);
    expect(lines.some((l) => CONNECT_LINE.exec(l)?.[3] === PROXY_USER)).to.equal(true);
    expect(authSquid.accessLog()).not.to.include(PROXY_PASSWORD);
    expect(logger.text()).not.to.include(PROXY_PASSWORD);
  });

  it('takes the proxy credentials from proxyAuth (top level, password by env: reference)', async () => {
    process.env['FINAUTH_TEST_PROXY_PASSWORD'] = PROXY_PASSWORD;
    const auth = finauth([fapiProvider(sandbox, 'es256')], { proxy: authSquid.url, proxyAuth: { username: PROXY_USER, password: 'env:FINAUTH_TEST_PROXY_PASSWORD' } });
    const token = await auth.getToken('es256');
    expect((await sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
  });

  it('a 407 is a TransportError (reason proxy) naming the proxy, not retried, with no password in it', async () => {
    for (const [proxy, expected] of [
      [authSquid.url, /requires authentication \(407.*no proxy credentials are configured/],
      [`http://${PROXY_USER}:wrong-${PROXY_PASSWORD}@127.0.0.1:${authSquid.port}`, /requires authentication \(407.*credentials were refused/],
    ] as const) {
      const auth = finauth([fapiProvider(sandbox, 'ps256', { id: 'p', proxy })]);
      const error = await rejection(auth.getToken('p'));
      expect(TransportError.is(error), String(error)).to.equal(true);
      const e = error as TransportError;
      expect(e.reason).to.equal('proxy');
      expect(e.retryable).to.equal(false);
      expect(e.errno).to.equal('PROXY_407');
      expect(e.message).to.include(`egress proxy: proxy ${authSquid.url}`);
      expect(e.message).to.match(expected);
      for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String((e.cause as Error).message)]) expect(text).not.to.include(PROXY_PASSWORD);
      expect(sandbox.ofp.log.length, 'nothing reached the bank').to.equal(0);
    }
  });

  it('a CONNECT the proxy refuses (403) is a TransportError (reason proxy) from getToken and from http()', async () => {
    const auth = finauth([fapiProvider(sandbox, 'ps256', { id: 'p', proxy: squid.url, tokenEndpoint: 'https://127.0.0.1:443/token', retry: { maxRetries: 0 } })]);
    const error = (await rejection(auth.getToken('p'))) as TransportError;
    expect(TransportError.is(error)).to.equal(true);
    expect([error.reason, error.errno, error.retryable]).to.deep.equal(['proxy', 'PROXY_403', false]);
    expect(error.message).to.include(`proxy ${squid.url} refused the tunnel to 127.0.0.1:443 (CONNECT answered 403)`);

    const resourceAuth = finauth([fapiProvider(sandbox, 'ps256', { id: 'r', proxy: squid.url })]);
    const resourceError = (await rejection(resourceAuth.http('r').get('https://127.0.0.1:443/accounts'))) as TransportError;
    expect(TransportError.is(resourceError), String(resourceError)).to.equal(true);
    expect([resourceError.reason, resourceError.errno]).to.deep.equal(['proxy', 'PROXY_403']);
  });

  it('a proxy that is down is a retryable TransportError (reason proxy, ECONNREFUSED); nothing reaches the bank', async () => {
    const port = await deadPort();
    const auth = finauth([fapiProvider(sandbox, 'ps256', { id: 'p', proxy: `http://127.0.0.1:${port}`, retry: { maxRetries: 1, baseDelayMs: 1 } })]);
    const error = (await rejection(auth.getToken('p'))) as TransportError;
    expect(TransportError.is(error)).to.equal(true);
    expect([error.reason, error.errno, error.retryable]).to.deep.equal(['proxy', 'ECONNREFUSED', true]);
    expect(error.message).to.include(`proxy http://127.0.0.1:${port} is unreachable`);
    expect(sandbox.ofp.log.length).to.equal(0);
  });
});
