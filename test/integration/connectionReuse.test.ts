import type { Agent } from 'node:https';
import type { Socket } from 'node:net';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { gatewayProvider } from '@finauth-test/support';

/** Every non-empty subset of the gateway's four scopes: fifteen distinct cache keys, so fifteen fetches at once. */
const SCOPES = ['pisp', 'piisp', 'aisp', 'extended_transaction_history'];
const SCOPE_SETS = Array.from({ length: 15 }, (_, i) => SCOPES.filter((_, bit) => ((i + 1) >> bit) & 1).join(' '));

const idleSockets = (agent: Agent): Socket[] => Object.values(agent.freeSockets).flat() as Socket[];
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A provider's agent keeps the connections a burst of concurrent calls opened (real gateway, TLS on 127.0.0.1). */
describe('connection reuse under concurrent token requests', () => {
  let sb: Sandbox;
  let auth: Finauth;

  before(async () => {
    sb = await startSandbox();
    auth = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb)] });
  });

  after(async () => {
    await auth?.close();
    await sb?.stop();
  });

  it('fifteen token requests at once open fifteen connections, and the next fifteen reuse every one', async () => {
    const agent = auth.http('bnp').defaults.httpsAgent as Agent;
    const burst = (): Promise<unknown> => Promise.all(SCOPE_SETS.map((scope) => auth.getToken('bnp', { scope, forceRefresh: true })));
    await burst();
    await turn();
    const opened = idleSockets(agent);
    // With fewer idle connections allowed than a burst opens (it was 8), the rest were closed as
    // their answers came, and each later burst paid a TLS handshake per closed connection.
    expect(opened).to.have.length(SCOPE_SETS.length);
    await burst();
    await turn();
    const reused = idleSockets(agent);
    expect(reused).to.have.length(SCOPE_SETS.length);
    expect(reused.every((socket) => opened.includes(socket)), 'no new connection in the second burst').to.equal(true);
  });
});
