import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { expect } from 'chai';
import type { Sandbox } from '@finauth/sandbox';
import { runDemo } from '../src/demo/runDemo.js';
import { memoryIo } from '../src/io.js';

import { BIN } from './support/runBin.js';
const PROVIDERS = ['ofp-private-key-jwt', 'ofp-tls-client-auth', 'bnp-gateway', 'snap-bi-bank'];

/** Resolves true when nothing accepts connections at `url` any more. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('finauth demo', () => {
  it('gets a token through each strategy, calls each resource, proves the cached path, then stops everything', async () => {
    const io = memoryIo();
    let sandbox: Sandbox | undefined;
    const code = await runDemo(io, { prepare: (sb) => void (sandbox = sb) });
    expect(code, io.stderr.join('\n')).to.equal(0);
    const lines = io.stdout;
    const header = lines.findIndex((l) => l.startsWith('provider '));
    expect(header).to.be.greaterThan(0);
    const rows = lines.slice(header + 2, header + 2 + PROVIDERS.length);
    for (const [i, id] of PROVIDERS.entries()) {
      const row = rows[i] ?? '';
      expect(row.startsWith(id), row).to.equal(true);
      expect(row).to.include('HTTP 200');
      expect(row).to.match(/in (29\d|300) s/);
      expect(row).to.match(/cache, \d+ µs/);
      // The token column shows 6 + 4 characters of the token, never the whole.
      expect(row).to.match(/ [\w-]{6}…[\w-]{4} /);
    }
    expect(rows[0]).to.match(/fapi2\s+private_key_jwt/);
    expect(rows[1]).to.match(/fapi2\s+tls_client_auth/);
    expect(rows[2]).to.match(/client_secret_basic\s+client_secret_basic/);
    expect(rows[3]).to.match(/snap_bi\s+snap_bi_asymmetric_signature/);
    expect(sandbox!.snap.stats.resourceRequests).to.equal(1);
    // Everything the demo started is gone: temp folder and listening sockets.
    expect(sandbox).to.not.equal(undefined);
    expect(existsSync(sandbox!.dir)).to.equal(false);
    expect(await refused(sandbox!.ofp.issuer)).to.equal(true);
    expect(await refused(sandbox!.gateway.baseUrl)).to.equal(true);
    expect(await refused(sandbox!.snap.baseUrl)).to.equal(true);
  });

  it('names the failed SNAP BI step with its SNAP code when the bank refuses the signature', async () => {
    const io = memoryIo();
    const code = await runDemo(io, { prepare: (sb) => sb.snap.setClockOffset(10 * 60_000) });
    expect(code).to.equal(1);
    expect(io.stderr[0]).to.match(/^finauth demo: failed at step "get a token from snap-bi-bank": .*HTTP 401 4017300.*code FINAUTH_TOKEN_ENDPOINT\)$/);
  });

  it('names the failed step, exits 1 and still stops the servers when a bank fails', async () => {
    const io = memoryIo();
    let sandbox: Sandbox | undefined;
    const code = await runDemo(io, {
      prepare: (sb) => {
        sandbox = sb;
        sb.gateway.faults.set({ kind: 'status', status: 500 });
      },
    });
    expect(code).to.equal(1);
    expect(io.stderr).to.have.length(1);
    expect(io.stderr[0]).to.match(/^finauth demo: failed at step "get a token from bnp-gateway": .*HTTP 500.*code FINAUTH_TOKEN_ENDPOINT\)$/);
    expect(io.stderr[0]).to.not.include(sandbox!.gateway.clientSecret);
    expect(existsSync(sandbox!.dir)).to.equal(false);
    expect(await refused(sandbox!.gateway.baseUrl)).to.equal(true);
  });

  it('--verbose adds the stack of the failure', async () => {
    const io = memoryIo();
    const code = await runDemo(io, { verbose: true, prepare: (sb) => sb.ofp.faults.set({ kind: 'empty' }) });
    expect(code).to.equal(1);
    expect(io.stderr[0]).to.match(/failed at step "get a token from ofp-private-key-jwt".*FINAUTH_RESPONSE_FORMAT/);
    expect(io.stderr.slice(1).join('\n')).to.match(/ResponseFormatError[\s\S]*\n\s+at /);
  });

  it('as a process: prints the table and exits 0 on its own (no open handle keeps it alive)', function () {
    this.timeout(20_000);
    const r = spawnSync(process.execPath, [BIN, 'demo'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'killed by the timeout: something kept the process alive').to.equal(null);
    expect(r.status, r.stderr).to.equal(0);
    for (const id of PROVIDERS) expect(r.stdout).to.include(id);
    expect(r.stdout).to.include('every server stopped');
  });
});
