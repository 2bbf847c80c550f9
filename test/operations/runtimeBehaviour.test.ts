import { clientSecretBasic } from '@finauth/client-secret-basic';
import { httpsTransportFactory, createFinauth, ProviderUnavailableError, TokenEndpointError, type Finauth, type TelemetryEvent, type Transport } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { gatewayProvider, rejection } from '@finauth-test/support';

/** Against the sandbox's BNP-style gateway: real TLS, real status codes, its request counter. */
describe('single flight, circuit and health against a real gateway', function () {
  this.timeout(30_000);
  let sb: Sandbox;
  let auth: Finauth | undefined;

  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb?.stop();
  });
  afterEach(async () => {
    sb.gateway.faults.clear();
    await auth?.close();
    auth = undefined;
  });

  it('a provider replaced while 200 callers wait on its single flight: they all get its token, new callers the new provider, the old transport closes after', async () => {
    const transports: Array<{ transport: Transport; closed: boolean }> = [];
    auth = createFinauth({
      strategies: [clientSecretBasic()],
      providers: [gatewayProvider(sb)],
      transportFactory: {
        create(options) {
          const transport = httpsTransportFactory.create(options);
          const entry = { transport, closed: false };
          const close = transport.close.bind(transport);
          transport.close = () => ((entry.closed = true), close());
          transports.push(entry);
          return transport;
        },
      },
    });
    const before = sb.gateway.stats.tokenRequests;
    sb.gateway.faults.enqueue({ kind: 'slow', delayMs: 1500 });
    let settled = 0;
    const waiting = Array.from({ length: 200 }, () => auth!.getToken('bnp').finally(() => settled++));
    await new Promise((r) => setTimeout(r, 100));
    await auth.setProvider(gatewayProvider(sb, { timeoutMs: 5000 }));
    expect(settled, 'the 200 callers still wait on the old flight at the swap').to.equal(0);
    await new Promise((r) => setImmediate(r));
    expect(transports[0]!.closed, 'the old transport still serves its flight').to.equal(false);
    const fresh = await auth.getToken('bnp');
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens.map((t) => t.accessToken)).size).to.equal(1);
    expect(sb.gateway.stats.tokenRequests - before).to.equal(2);
    const deadline = Date.now() + 5000;
    while (!transports[0]!.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(transports[0]!.closed).to.equal(true);
    expect((await auth.getToken('bnp')).accessToken).to.equal(fresh.accessToken);
    expect((await auth.http('bnp').get(sb.gateway.helloUrl)).status).to.equal(200);
  });

  it('the circuit opens after consecutive 503s, fails fast without a request, serves nothing stale it lacks, and closes after a good probe', async () => {
    const events: TelemetryEvent[] = [];
    auth = createFinauth({
      strategies: [clientSecretBasic()],
      providers: [gatewayProvider(sb, { retry: { maxRetries: 0, maxDelayMs: 1000 }, circuit: { failureThreshold: 2, coolDownMs: 300 } })],
      telemetry: { emit: (e) => void events.push(e) },
    });
    sb.gateway.faults.enqueue({ kind: 'status', status: 503, times: 2 });
    for (let i = 0; i < 2; i++) expect(((await rejection(() => auth!.getToken('bnp'))) as TokenEndpointError).status).to.equal(503);
    const before = sb.gateway.stats.tokenRequests;
    const fast = await rejection(() => auth!.getToken('bnp'));
    expect(ProviderUnavailableError.is(fast)).to.equal(true);
    expect((fast as ProviderUnavailableError).retryAfterMs).to.be.within(1, 300);
    expect(((fast as ProviderUnavailableError).cause as TokenEndpointError).status).to.equal(503);
    expect(sb.gateway.stats.tokenRequests).to.equal(before);
    expect(auth.health()).to.deep.include({ status: 'down' });
    expect(auth.health().providers['bnp']).to.include({ circuit: 'open' });
    await new Promise((r) => setTimeout(r, 350));
    const token = await auth.getToken('bnp');
    expect(token.accessToken).to.be.a('string');
    expect(sb.gateway.stats.tokenRequests).to.equal(before + 1);
    expect(events.map((e) => e.name).filter((n) => n.startsWith('circuit.'))).to.deep.equal(['circuit.open', 'circuit.half_open', 'circuit.closed']);
    const health = auth.health();
    expect(health.status).to.equal('ok');
    expect(health.providers['bnp']?.tokenExpiresAt?.getTime()).to.equal(token.expiresAt?.getTime());
    expect(JSON.stringify(health)).to.not.include(token.accessToken);
    expect(JSON.stringify(health)).to.not.include(sb.gateway.clientSecret);
  });
});
