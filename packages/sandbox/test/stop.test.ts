import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { startSandbox } from '../src/index.js';
import { call, rejectionOf } from './support/httpsCall.js';
import { basicHeader, tlsFor } from './support/material.js';

/** Resources that keep a process alive: servers, sockets, timers. */
function keepAlive(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (['TCPServerWrap', 'TCPSocketWrap', 'TLSWrap', 'Timeout'].includes(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** Waits (up to 1 s) for closing sockets to finish; a leaked server or 60 s timer never would. */
async function settledTo(baseline: Record<string, number>): Promise<Record<string, number>> {
  let now = keepAlive();
  for (let i = 0; i < 50; i += 1) {
    if (Object.entries(now).every(([type, n]) => n <= (baseline[type] ?? 0))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Measured from a later phase of the event loop: the timer that just fired is still listed.
    await new Promise((resolve) => setImmediate(resolve));
    now = keepAlive();
  }
  return now;
}

describe('stop()', () => {
  it('closes every server, socket and fault timer, even of hanging requests, and removes the folder', async () => {
    // After a turn of the loop, so that mocha's own timeout timer for this test is in the baseline.
    await new Promise((resolve) => setImmediate(resolve));
    const baseline = keepAlive();
    const sb = await startSandbox();
    const tls = tlsFor(sb, 'transport');
    expect(existsSync(sb.pki.caCert)).to.equal(true);
    // OP main + alias, the basic OP, the gateway, the SNAP BI bank.
    expect(keepAlive()['TCPServerWrap'] ?? 0).to.equal((baseline['TCPServerWrap'] ?? 0) + 5);

    sb.gateway.faults.set({ kind: 'hang' });
    sb.snap.faults.set({ kind: 'hang' });
    sb.ofp.faults.set({ kind: 'slow', delayMs: 60_000 });
    const hanging = rejectionOf(
      call(sb.gateway.tokenEndpoint, {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: basicHeader(sb.gateway.clientId, sb.gateway.clientSecret) },
        tls,
      }),
    );
    const slow = rejectionOf(call(sb.ofp.tokenEndpoint, { form: { grant_type: 'client_credentials' }, tls }));
    const snapHanging = rejectionOf(call(sb.snap.tokenEndpoint, { form: '{"grantType":"client_credentials"}', headers: { 'content-type': 'application/json' }, tls }));
    // The slow fault's timer exists once the request has reached the server: on a loaded machine
    // that takes more than a fixed 100 ms, so wait for it (up to 5 s) rather than guess.
    const armed = async (): Promise<boolean> => {
      for (let i = 0; i < 250; i += 1) {
        if ((keepAlive()['Timeout'] ?? 0) > (baseline['Timeout'] ?? 0)) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
        // Measured from a later phase of the loop, so this wait's own timer is no longer listed.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return false;
    };
    const timerArmed = await armed();
    if (!timerArmed) await sb.stop(); // never leave hanging servers behind a failed assertion: mocha would not exit
    expect(timerArmed, 'the slow fault armed its timer').to.equal(true);

    await sb.stop();
    expect((await hanging).message).to.match(/ECONNRESET|socket hang up/);
    expect((await slow).message).to.match(/ECONNRESET|socket hang up/);
    expect((await snapHanging).message).to.match(/ECONNRESET|socket hang up/);
    const after = await settledTo(baseline);
    for (const [type, n] of Object.entries(after)) expect(n, type).to.be.at.most(baseline[type] ?? 0);
    expect(existsSync(sb.dir)).to.equal(false);
    const refused = await rejectionOf(call(sb.ofp.discoveryUrl, { tls }));
    expect(refused.message).to.match(/ECONNREFUSED/);
  });

  it('can be called twice', async () => {
    const sb = await startSandbox();
    await sb.stop();
    await sb.stop();
    expect(existsSync(sb.dir)).to.equal(false);
  });
});
