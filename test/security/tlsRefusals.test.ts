import { createServer, type Server, type ServerOptions } from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, TransportError, type Finauth, type UncheckedProviderConfig } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { createCa, daysFromNow, issueLeaf, type IssuedCertificate } from '@finauth/sandbox';
import { expect } from 'chai';
import { rejection } from '@finauth-test/support';
import { rsaServerLeaf } from '../support/rsaServerLeaf.js';

interface TlsServer {
  readonly url: string;
  readonly port: number;
  /** TCP connections a client opened (each one a TLS handshake, completed or not). */
  readonly connections: number;
  /** HTTP requests that got through the handshake. */
  readonly requests: number;
  readonly server: Server;
}

const LOOPBACK = [
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '::1' },
  { type: 'dns', value: 'localhost' },
] as const;

/** A bank-like server: discovery and a token endpoint, counting connections and what reaches HTTP. */
async function startServer(options: ServerOptions): Promise<TlsServer> {
  const counts = { connections: 0, requests: 0 };
  const server = createServer(options, (req, res) => {
    counts.requests += 1;
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    const body = req.url?.startsWith('/.well-known/')
      ? { issuer: url, token_endpoint: `${url}/token` }
      : { access_token: 'tls-control-token', token_type: 'Bearer', expires_in: 300 };
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  // Counted at TCP accept, which precedes the server's first TLS message: no race with the client's error.
  server.on('connection', () => void (counts.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    server,
    get connections() {
      return counts.connections;
    },
    get requests() {
      return counts.requests;
    },
  };
}

/** A bare handshake (no HTTP) with a client that allows what finauth refuses: proves the server offers it. */
function handshake(port: number, options: ConnectionOptions): Promise<{ protocol: string | null; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...options }, () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.end();
    });
    socket.on('error', reject);
  });
}

interface Refusal {
  readonly name: string;
  /** The low-level code finauth keeps in `errno`. */
  readonly errno: string;
  readonly message: RegExp;
  /** A client that allows this server's flaw gets a handshake, and sees this. */
  readonly control: () => ConnectionOptions;
  readonly negotiates: { protocol: string; cipher?: string };
}

/**
 * Each way a server's TLS can be wrong, against each shipped strategy: refused with a TransportError
 * of reason `tls` on the first connection (no retry), before any HTTP request. Two controls keep each refusal about
 * the one thing that is wrong: the same finauth client gets a token from a server with good TLS, and
 * a bare TLS client that tolerates the flaw completes a handshake with the flawed server.
 * @see RFC 9325 (BCP 195) §3.1.1, §4.2; FAPI 2.0 Security Profile §5.2.1; RFC 9110 §4.3.4
 */
describe('TLS refusals (every shipped strategy)', () => {
  let trusted: IssuedCertificate;
  let other: IssuedCertificate;
  let client: IssuedCertificate;
  const servers = new Map<string, TlsServer>();
  const server = (name: string): TlsServer => servers.get(name) ?? expect.fail(`no server ${name}`);

  const refusals: Refusal[] = [
    {
      name: 'a certificate from a CA the client does not trust',
      errno: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      message: /unable to verify/i,
      control: () => ({ ca: other.certPem }),
      negotiates: { protocol: 'TLSv1.3' },
    },
    {
      name: "a valid certificate for another host name ('bank.invalid')",
      errno: 'ERR_TLS_CERT_ALTNAME_INVALID',
      message: /altnames/,
      control: () => ({ ca: trusted.certPem, servername: 'bank.invalid' }),
      negotiates: { protocol: 'TLSv1.3' },
    },
    {
      name: 'TLS 1.1 only',
      errno: 'EPROTO',
      message: /protocol version/,
      control: () => ({ ca: trusted.certPem, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      negotiates: { protocol: 'TLSv1.1' },
    },
    {
      name: 'TLS 1.2 with a CBC suite only (ECDHE-ECDSA-AES128-SHA)',
      errno: 'EPROTO',
      message: /handshake failure/,
      control: () => ({ ca: trusted.certPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }),
      negotiates: { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-SHA' },
    },
    {
      name: 'TLS 1.2 with static RSA key exchange only (AES128-GCM-SHA256, no forward secrecy)',
      errno: 'EPROTO',
      message: /handshake failure/,
      control: () => ({ ca: trusted.certPem, maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }),
      negotiates: { protocol: 'TLSv1.2', cipher: 'AES128-GCM-SHA256' },
    },
  ];

  before(async () => {
    trusted = await createCa('CN=tls test CA', daysFromNow(-1, 30));
    other = await createCa('CN=a CA nobody trusts', daysFromNow(-1, 30));
    const [good, untrusted, wrongHost, rsa] = await Promise.all([
      issueLeaf(trusted, 'CN=127.0.0.1', 'server', daysFromNow(-1, 30), [...LOOPBACK]),
      issueLeaf(other, 'CN=127.0.0.1', 'server', daysFromNow(-1, 30), [...LOOPBACK]),
      issueLeaf(trusted, 'CN=bank.invalid', 'server', daysFromNow(-1, 30), [{ type: 'dns', value: 'bank.invalid' }]),
      rsaServerLeaf(trusted, [...LOOPBACK]),
    ]);
    client = await issueLeaf(trusted, 'CN=tls test client', 'client', daysFromNow(-1, 30));
    const tls = (leaf: { certPem: string; keyPem: string }): ServerOptions => ({ cert: leaf.certPem, key: leaf.keyPem });
    const [r0, r1, r2, r3, r4] = refusals.map((r) => r.name);
    servers.set('control', await startServer(tls(good)));
    servers.set(r0!, await startServer(tls(untrusted)));
    servers.set(r1!, await startServer(tls(wrongHost)));
    // OpenSSL 3 refuses TLS 1.1 at its default security level; level 0 lets the server offer it.
    servers.set(r2!, await startServer({ ...tls(good), minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }));
    // "HIGH" in OpenSSL's terms, so Node's default client list would accept both of these.
    servers.set(r3!, await startServer({ ...tls(good), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }));
    servers.set(r4!, await startServer({ ...tls(rsa), maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }));
  });

  after(async () => {
    await Promise.all([...servers.values()].map((s) => new Promise((resolve) => s.server.close(resolve))));
  });

  describe('each flawed server does offer its flaw (a tolerant bare TLS client connects)', () => {
    for (const r of refusals) {
      it(r.name, async () => {
        const requests = server(r.name).requests;
        const got = await handshake(server(r.name).port, r.control());
        expect(got.protocol).to.equal(r.negotiates.protocol);
        if (r.negotiates.cipher) expect(got.cipher).to.equal(r.negotiates.cipher);
        expect(server(r.name).requests).to.equal(requests);
      });
    }
  });

  const strategies = [
    {
      name: 'fapi2 (discovery is the first call)',
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
      name: 'fapi2 (tokenEndpoint given: the token call is the first call)',
      provider: (url: string) => ({
        id: 'p',
        strategy: 'fapi2',
        issuer: url,
        tokenEndpoint: `${url}/token`,
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

  // The default retry policy: a TLS failure must not be retried (it would fail the same way).
  async function withInstance<T>(provider: Record<string, unknown>, run: (fa: Finauth) => Promise<T>): Promise<T> {
    const fa = createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers: [{ ...provider, timeoutMs: 3000 } as UncheckedProviderConfig] });
    try {
      return await run(fa);
    } finally {
      await fa.close();
    }
  }

  for (const s of strategies) {
    describe(s.name, () => {
      it('control: the same client gets a token from a server with good TLS', async () => {
        const token = await withInstance(s.provider(server('control').url), (fa) => fa.getToken('p'));
        expect(token.accessToken).to.equal('tls-control-token');
      });

      for (const r of refusals) {
        it(`refuses ${r.name}: TransportError (tls, ${r.errno}), one connection, no HTTP request`, async () => {
          const target = server(r.name);
          const connectionsBefore = target.connections;
          const error = await withInstance(s.provider(target.url), (fa) => rejection(() => fa.getToken('p')));
          expect(TransportError.is(error), String(error)).to.equal(true);
          const e = error as TransportError;
          expect(e.code).to.equal('FINAUTH_TRANSPORT');
          expect(e.providerId).to.equal('p');
          expect(e.reason).to.equal('tls');
          expect(e.errno).to.equal(r.errno);
          expect(e.retryable).to.equal(false);
          expect(e.message).to.include(target.url).and.match(r.message);
          expect(target.connections - connectionsBefore, 'connections (a TLS failure is not retried)').to.equal(1);
          expect(target.requests, 'HTTP requests the server received').to.equal(0);
        });
      }
    });
  }
});
