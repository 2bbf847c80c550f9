import { expect } from 'chai';
import { startSandbox, startSquid, type Sandbox, type SquidProxy } from '@finauth/sandbox';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { closedPort, sandboxProviders, tempFolder } from './support/configFile.js';

const PASSWORD = 'doctor-proxy-Passw0rd';

describe('finauth doctor: the egress proxy path (real squid)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let squid: SquidProxy;
  let folder: ReturnType<typeof tempFolder>;

  before(async () => {
    [sb, squid] = await Promise.all([startSandbox(), startSquid({ users: { doctor: PASSWORD } })]);
    folder = tempFolder();
  });
  after(async () => {
    folder.remove();
    await Promise.all([sb.stop(), squid.stop()]);
  });

  async function doctor(name: string, file: Record<string, unknown>): Promise<{ code: number; lines: string[]; text: string }> {
    const io = memoryIo();
    const code = await runDoctor(io, { config: folder.write(name, file) });
    return { code, lines: io.stdout, text: io.stdout.join('\n') };
  }
  const line = (lines: string[], check: string): string => lines.find((l) => l.trim().match(new RegExp(`^\\[\\w+\\] ${check}:`)))?.trim() ?? `(no ${check} line)`;

  it('passes through the proxy: tunnel, discovery, TLS handshake and a live token, credentials never printed', async () => {
    process.env['FINAUTH_DOCTOR_PROXY_PASSWORD'] = PASSWORD;
    try {
      const { pkjwt } = sandboxProviders(sb);
      const { code, lines, text } = await doctor('proxy-ok.json', { proxy: squid.url, proxyAuth: { username: 'doctor', password: 'env:FINAUTH_DOCTOR_PROXY_PASSWORD' }, providers: [pkjwt] });
      expect(code, text).to.equal(0);
      expect(line(lines, 'egress proxy')).to.equal(`[PASS] egress proxy: ${squid.url} (top-level proxy) opened a CONNECT tunnel to ${new URL(sb.ofp.issuer).host}, with proxy credentials`);
      expect(line(lines, 'TLS handshake')).to.match(new RegExp(`through ${squid.url.replace(/\./g, '\\.')}\\)$`));
      expect(line(lines, 'live token')).to.match(/^\[PASS\] live token/);
      expect(text).not.to.include(PASSWORD);
      await new Promise((r) => setTimeout(r, 300));
      expect(squid.accessLog()).to.match(/CONNECT 127\.0\.0\.1:\d+ doctor /);
    } finally {
      delete process.env['FINAUTH_DOCTOR_PROXY_PASSWORD'];
    }
  });

  it('fails with the 407 and a hint when the proxy wants credentials', async () => {
    const { pkjwt } = sandboxProviders(sb);
    const { code, lines } = await doctor('proxy-407.json', { providers: [{ ...pkjwt, proxy: squid.url }] });
    expect(code).to.equal(1);
    expect(line(lines, 'egress proxy')).to.match(new RegExp(`^\\[FAIL\\] egress proxy: proxy ${squid.url.replace(/\./g, '\\.')} requires authentication \\(407`));
    const hint = lines[lines.findIndex((l) => l.includes('[FAIL] egress proxy')) + 1];
    expect(hint).to.match(/hint: give the proxy credentials/);
  });

  it('fails naming the proxy when it is down', async () => {
    const port = await closedPort();
    const { pkjwt } = sandboxProviders(sb);
    const { code, lines } = await doctor('proxy-down.json', { providers: [{ ...pkjwt, proxy: `http://127.0.0.1:${port}` }] });
    expect(code).to.equal(1);
    expect(line(lines, 'egress proxy')).to.equal(`[FAIL] egress proxy: proxy http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`);
    // Named once: what connects through the proxy is not run.
    expect(line(lines, 'TLS handshake')).to.equal('[SKIP] TLS handshake: not run: "egress proxy" failed');
    expect(line(lines, 'live token')).to.match(/^\[SKIP\] live token: not run/);
  });

  it('skips when no proxy is configured', async () => {
    const { bnp } = sandboxProviders(sb);
    const { lines } = await doctor('no-proxy.json', { providers: [bnp] });
    expect(line(lines, 'egress proxy')).to.equal('[SKIP] egress proxy: no egress proxy configured: connections go direct');
  });
});
