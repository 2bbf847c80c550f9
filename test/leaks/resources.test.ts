import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { gatewayProvider } from '@finauth-test/support';
import { fapiKeyJwt, fapiTlsAuth } from '../support/providers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}.js`, import.meta.url));

/** Runs a fixture in its own process (its resources are its own), asynchronously: the sandbox serving it lives here. */
function runFixture(name: string, env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 60_000): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; exitedAt: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, fixture(name)], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env }, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr, exitedAt: Date.now() });
    });
  });
}

/** Issue 7: nothing outlives close(), and a long run keeps memory flat. */
describe('resources and leaks', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('a script that creates an instance, gets tokens and closes it exits on its own, leaving no socket or timer', async () => {
    const providers = [fapiKeyJwt(sb), fapiTlsAuth(sb), gatewayProvider(sb)];
    const r = await runFixture('createUseClose', { FINAUTH_LEAK_PROVIDERS: JSON.stringify(providers), FINAUTH_LEAK_RESOURCE_URL: sb.ofp.resourceUrl }, [], 15_000);
    expect(r.signal, 'killed at the timeout: something kept the process alive').to.equal(null);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { before: Record<string, number>; after: Record<string, number>; status: number; socketsUsed: number; open: number; pooled: number; closedAt: number };
    // It exits promptly after close(): no keep-alive socket, retry timer or agent waits out its own timeout.
    expect(r.exitedAt - out.closedAt).to.be.below(2000);
    expect(out.status).to.equal(200);
    // The run did hold connections (else the checks below prove nothing)...
    expect(out.socketsUsed).to.be.greaterThan(0);
    // ...and after close() every one is destroyed, no agent pools one, and Node reports exactly the
    // resources (handles, timers, immediates) it reported before the instance was created.
    expect(out.open).to.equal(0);
    expect(out.pooled).to.equal(0);
    expect(out.after).to.deep.equal(out.before);
  });

  it('10,000 forced refreshes through one instance: cache, single flight and sockets do not grow, heap stays flat', async function () {
    this.timeout(180_000);
    const r = await runFixture('manyFetches', { FINAUTH_LEAK_PROVIDERS: JSON.stringify([gatewayProvider(sb)]), FINAUTH_LEAK_FETCHES: '10000' }, ['--expose-gc'], 170_000);
    expect(r.code, r.stderr).to.equal(0);
    const [early, late] = JSON.parse(r.stdout) as Record<string, number>[];
    expect(early!['fetches']).to.equal(2000);
    expect(late!['fetches']).to.equal(10000);
    for (const s of [early!, late!]) {
      expect(s['cacheEntries'], 'one provider, one scope: one cache entry').to.equal(1);
      expect(s['flights'], 'no single-flight entry left behind').to.equal(0);
      expect(s['sockets'], 'one keep-alive connection, reused').to.equal(1);
    }
    // 8,000 more fetches may not grow the heap by more than 1 MiB (about 130 bytes a fetch): a
    // leak of one token or one response per fetch would be several MiB.
    expect(late!['heapUsed']! - early!['heapUsed']!).to.be.below(1024 * 1024);
  });

  it('16 providers with a forced refresh each in flight: a request leaves nothing the scavenges promote', async function () {
    this.timeout(120_000);
    const providers = [
      ...Array.from({ length: 8 }, (_, i) => fapiKeyJwt(sb, { id: `ofp-${i}` })),
      ...Array.from({ length: 8 }, (_, i) => ({ ...gatewayProvider(sb), id: `gateway-${i}` })),
    ];
    const r = await runFixture('scavengedFetches', { FINAUTH_LEAK_PROVIDERS: JSON.stringify(providers), FINAUTH_LEAK_FETCHES: '3000' }, ['--expose-gc'], 110_000);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { fetches: number; grown: number; minor: number; major: number };
    // The run allocated enough for scavenges to run (else the check below proves nothing)...
    expect(out.minor, JSON.stringify(out)).to.be.greaterThan(2);
    // ...and what they promoted is what was in flight at each (~20 KB), not every request: with a
    // Set, Map or cache rehashed under churn it was ~8 KB a request (~24 MB here), and the full
    // collections that growth starts.
    expect(out.major, JSON.stringify(out)).to.equal(0);
    expect(out.grown, JSON.stringify(out)).to.be.below(2.5 * 1024 * 1024);
  });
});
