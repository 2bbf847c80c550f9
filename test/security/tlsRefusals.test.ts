import { createServer, type Server, type ServerOptions } from 'node:https';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, TransportError, type Finauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { createCa, daysFromNow, issueLeaf, type IssuedCertificate } from '@finauth/sandbox';
import { expect } from 'chai';
import { rejection } from '../support/rejection.js';

interface TlsServer {
  readonly url: string;
  /** HTTP requests that got through the handshake. */
  requests: number;
  readonly server: Server;
}

const LOOPBACK = [
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '::1' },
  { type: 'dns', value: 'localhost' },
] as const;

/** A bank-like server: discovery and a token endpoint, counting what reaches it. */
async function startServer(options: ServerOptions): Promise<TlsServer> {
  const state = { requests: 0 };
  const server = createServer(options, (req, res) => {
    state.requests += 1;
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    const body = req.url?.startsWith('/.well-known/')
      ? { issuer: url, token_endpoint: `${url}/token` }
      : { access_token: 'tls-control-token', token_type: 'Bearer', expires_in: 300 };
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.defineProperties({ url: `https://127.0.0.1:${port}`, server } as TlsServer, { requests: { get: () => state.requests } });
}

/**
 * Each way a server's TLS can be wrong, against each shipped strategy: refused with a TransportError
 * of reason `tls` before any HTTP request is sent. A control server with good TLS shows the setup
 * itself works, so each refusal is about the one thing that is wrong.
 */
describe('TLS refusals (every shipped strategy)', () => {
  let trusted: IssuedCertificate;
  let client: IssuedCertificate;
  const servers: Record<string, TlsServer> = {};

  before(async () => {
    trusted = await createCa('CN=tls test CA', daysFromNow(-1, 30));
    const other = await createCa('CN=a CA nobody trusts', daysFromNow(-1, 30));
    const [good, untrusted, wrongHost] = await Promise.all([
      issueLeaf(trusted, 'CN=127.0.0.1', 'server', daysFromNow(-1, 30), [...LOOPBACK]),
      issueLeaf(other, 'CN=127.0.0.1', 'server', daysFromNow(-1, 30), [...LOOPBACK]),
      issueLeaf(trusted, 'CN=bank.invalid', 'server', daysFromNow(-1, 30), [{ type: 'dns', value: 'bank.invalid' }]),
    ]);
    client = await issueLeaf(trusted, 'CN=tls test client', 'client', daysFromNow(-1, 30));
    const tls = (leaf: IssuedCertificate): ServerOptions => ({ cert: leaf.certPem, key: leaf.keyPem });
    servers['control'] = await startServer(tls(good));
    servers['untrusted certificate'] = await startServer(tls(untrusted));
    servers['wrong host name'] = await startServer(tls(wrongHost));
    // OpenSSL 3 refuses TLS 1.1 at its default security level; level 0 lets the server offer it.
    servers['TLS 1.1 only'] = await startServer({ ...tls(good), minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    // A CBC suite with SHA-1 MACs: "HIGH" in OpenSSL's terms, outside BCP 195 and FAPI 2.0.
    servers['a weak cipher only (ECDHE-ECDSA-AES128-SHA)'] = await startServer({ ...tls(good), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' });
  });

  after(async () => {
    await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.server.close(resolve))));
  });

  const strategies = [
    {
      name: 'fapi2',
      provider: (url: string) => ({
        id: 'p',
        strategy: 'fapi2',
        issuer: url,
        clientId: 'tls-test',
        clientAuth: { method: 'tls_client_auth' },
        tls: { cert: client.certPem, key: client.keyPem, ca: trusted.certPem },
      }),
    },
    {
      name: 'client_secret_basic',
      provider: (url: string) => ({ id: 'p', strategy: 'client_secret_basic', tokenEndpoint: `${url}/token`, clientId: 'tls-test', clientSecret: 'tls-test-secret', tls: { ca: trusted.certPem } }),
    },
  ];

  async function withInstance<T>(provider: Record<string, unknown>, run: (fa: Finauth) => Promise<T>): Promise<T> {
    const fa = createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers: [{ ...provider, timeoutMs: 3000, retry: { maxRetries: 0 } }] });
    try {
      return await run(fa);
    } finally {
      await fa.close();
    }
  }

  for (const s of strategies) {
    describe(s.name, () => {
      it('control: the same client gets a token from a server with good TLS', async () => {
        const token = await withInstance(s.provider(servers['control']!.url), (fa) => fa.getToken('p'));
        expect(token.accessToken).to.equal('tls-control-token');
      });

      for (const name of ['untrusted certificate', 'wrong host name', 'TLS 1.1 only', 'a weak cipher only (ECDHE-ECDSA-AES128-SHA)']) {
        it(`refuses a server with ${name}: TransportError (tls), no request sent`, async () => {
          const server = servers[name]!;
          const error = await withInstance(s.provider(server.url), (fa) => rejection(() => fa.getToken('p')));
          expect(TransportError.is(error), String(error)).to.equal(true);
          const e = error as TransportError;
          expect(e.reason).to.equal('tls');
          expect(e.retryable).to.equal(false);
          expect(e.message).to.include(server.url);
          expect(server.requests).to.equal(0);
        });
      }
    });
  }

  it('no source file turns certificate or host name checks off', () => {
    const root = new URL('../../../packages/', import.meta.url).pathname;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity\s*[:=]/.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    for (const pkg of readdirSync(root)) {
      const src = join(root, pkg, 'src');
      try {
        if (statSync(src).isDirectory()) walk(src);
      } catch {
        // a package without src/
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});
