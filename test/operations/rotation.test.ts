import { httpsTransportFactory, createFinauth, type AccessToken, type Finauth, type Transport, type TransportFactory } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { createHash, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fapiKeyJwt } from '../support/providers.js';
import { recordUnhandledRejections } from '../support/unhandledRejections.js';

/** RFC 8705 §3.1: the confirmation claim of a certificate-bound token. */
const x5tS256 = (pemFile: string): string => createHash('sha256').update(new X509Certificate(readFileSync(pemFile)).raw).digest('base64url');

/** The kid in the header of each client_assertion the OP received. */
function assertionKids(sb: Sandbox): string[] {
  return sb.ofp.log
    .filter((r) => r.body.includes('client_assertion='))
    .map((r) => {
      const jwt = new URLSearchParams(r.body).get('client_assertion') ?? '';
      return (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string }).kid ?? '';
    });
}

/** Records every transport built, and whether it was closed, around the real transport. */
function recordingTransports(): { factory: TransportFactory; built: Array<{ transport: Transport; closed: boolean }> } {
  const built: Array<{ transport: Transport; closed: boolean }> = [];
  return {
    built,
    factory: {
      create(options) {
        const transport = httpsTransportFactory.create(options);
        const entry = { transport, closed: false };
        const close = transport.close.bind(transport);
        transport.close = () => {
          entry.closed = true;
          close();
        };
        built.push(entry);
        return transport;
      },
    },
  };
}

const openSockets = (t: Transport): number =>
  [...Object.values(t.agent.sockets), ...Object.values(t.agent.freeSockets)].reduce((n, list) => n + (list?.length ?? 0), 0);

describe('rotation while the service runs (real OP over mTLS)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dir: string;
  let auth: Finauth | undefined;

  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb?.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'finauth-rotation-'));
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The provider reads its certificate, key and signing key from `dir`, as a mounted secret. */
  function provider(): Record<string, unknown> {
    copyFileSync(sb.pki.clients.transport.cert, join(dir, 'cert.pem'));
    copyFileSync(sb.pki.clients.transport.key, join(dir, 'key.pem'));
    copyFileSync(sb.pki.signing.ps256.key, join(dir, 'signing.pem'));
    // No kid: it is the key's RFC 7638 thumbprint, so a rotated key is a new identity.
    return fapiKeyJwt(sb, {
      clientAuth: { method: 'private_key_jwt', signingKey: 'file:signing.pem', alg: 'PS256' },
      tls: { cert: 'file:cert.pem', key: 'file:key.pem', ca: `file:${sb.pki.caCert}` },
    });
  }

  function rotateOnDisk(): void {
    copyFileSync(sb.pki.clients.unregistered.key, join(dir, 'key.pem'));
    copyFileSync(sb.pki.clients.unregistered.cert, join(dir, 'cert.pem'));
    copyFileSync(sb.pki.signing.ps256Next.key, join(dir, 'signing.pem'));
  }

  it('1,000 getToken and 100 http() calls in flight across a certificate + signing key rotation and reload(): none fails, the old token is never served after the swap, the old sockets close', async () => {
    const unhandled = recordUnhandledRejections();
    const transports = recordingTransports();
    auth = createFinauth({ strategies: [fapi2()], providers: [provider()], baseDir: dir, transportFactory: transports.factory });
    const id = 'ofp-pkjwt';
    const oldThumbprint = x5tS256(sb.pki.clients.transport.cert);
    const newThumbprint = x5tS256(sb.pki.clients.unregistered.cert);
    sb.ofp.log.clear();

    // Before the swap: 500 token calls and 50 resource calls, all in flight on a cold provider.
    const before: Array<Promise<AccessToken>> = Array.from({ length: 500 }, () => auth!.getToken(id));
    const beforeHttp = Array.from({ length: 50 }, () => auth!.http(id).get(sb.ofp.resourceUrl));
    rotateOnDisk();
    const result = await auth.reload();
    expect(result.reloaded).to.deep.equal([id]);
    expect(result.failed).to.deep.equal([]);
    // After the swap: 500 more token calls and 50 more resource calls.
    const after: Array<Promise<AccessToken>> = Array.from({ length: 500 }, () => auth!.getToken(id));
    const afterHttp = Array.from({ length: 50 }, () => auth!.http(id).get(sb.ofp.resourceUrl));

    const settled = await Promise.allSettled([...before, ...after, ...beforeHttp, ...afterHttp]);
    const failures = settled.filter((s) => s.status === 'rejected');
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason)), 'failed calls').to.deep.equal([]);
    for (const res of await Promise.all([...beforeHttp, ...afterHttp])) expect(res.status).to.equal(200);

    const oldTokens = new Set((await Promise.all(before)).map((t) => t.accessToken));
    const newTokens = new Set((await Promise.all(after)).map((t) => t.accessToken));
    expect(oldTokens.size).to.equal(1);
    expect(newTokens.size).to.equal(1);
    const [oldToken] = [...oldTokens];
    const [newToken] = [...newTokens];
    expect(newToken).to.not.equal(oldToken);
    expect(((await sb.ofp.introspect(oldToken!))['cnf'] as Record<string, string>)['x5t#S256']).to.equal(oldThumbprint);
    expect(((await sb.ofp.introspect(newToken!))['cnf'] as Record<string, string>)['x5t#S256']).to.equal(newThumbprint);
    // Both keys signed an assertion the OP accepted: the old before the swap, the new after.
    expect(new Set(assertionKids(sb))).to.deep.equal(new Set([sb.pki.signing.ps256.kid, sb.pki.signing.ps256Next.kid]));
    for (let i = 0; i < 20; i++) expect((await auth.getToken(id)).accessToken).to.equal(newToken);

    // The old transport closed once its calls were done, and its sockets with it.
    expect(transports.built).to.have.length(2);
    const deadline = Date.now() + 5000;
    while (!transports.built[0]!.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(transports.built[0]!.closed).to.equal(true);
    expect(openSockets(transports.built[0]!.transport)).to.equal(0);
    expect(transports.built[1]!.closed).to.equal(false);
    expect(auth.health().providers[id]).to.include({ status: 'ok', circuit: 'closed' });
    await unhandled.settle();
    unhandled.stop();
    expect(unhandled.reasons).to.deep.equal([]);
  });

  it('watch: a half-written certificate is a logged error and keeps the old provider; the complete file is picked up', async () => {
    const errors: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
    auth = createFinauth({ strategies: [fapi2()], providers: [provider()], baseDir: dir, watch: true, watchDebounceMs: 50, logger });
    const id = 'ofp-pkjwt';
    const first = await auth.getToken(id);
    const pem = readFileSync(sb.pki.clients.unregistered.cert, 'utf8');
    writeFileSync(join(dir, 'cert.pem'), pem.slice(0, Math.floor(pem.length / 2)));
    const until = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
      const end = Date.now() + 8000;
      while (Date.now() < end) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out: ${what}`);
    };
    await until(() => errors.some((m) => /keeps its previous config/.test(m)), 'the half-written file is logged');
    expect(auth.health().providers[id]?.invalidConfig?.map((i) => i.path)).to.include(`${id}.tls.cert`);
    expect((await auth.getToken(id)).accessToken).to.equal(first.accessToken);
    expect((await auth.http(id).get(sb.ofp.resourceUrl)).status).to.equal(200);
    copyFileSync(sb.pki.clients.unregistered.key, join(dir, 'key.pem'));
    writeFileSync(join(dir, 'cert.pem'), pem);
    await until(async () => (await auth!.getToken(id)).accessToken !== first.accessToken, 'the rotated certificate is used');
    const now = await auth.getToken(id);
    expect(((await sb.ofp.introspect(now.accessToken))['cnf'] as Record<string, string>)['x5t#S256']).to.equal(x5tS256(sb.pki.clients.unregistered.cert));
    expect(auth.health().providers[id]?.invalidConfig).to.equal(undefined);
    expect(JSON.stringify(auth.health())).to.not.include(now.accessToken);
  });
});
