import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinauth } from '../src/createFinauth.js';
import type { FinauthOptions } from '../src/config/FinauthOptions.js';
import type { UncheckedProviderConfig } from '../src/config/ProviderInput.js';
import { ConfigError } from '../src/errors/index.js';
import type { HttpRequest, TransportFactory } from '../src/http/Transport.js';
import { rejection } from './support/harness.js';
import { FakeClock } from './support/FakeClock.js';
import { ScriptedTransport, tokenReply, type Reply } from './support/ScriptedTransport.js';
import { stubProvider, stubStrategyModule, type StubStrategy } from './support/stubStrategy.js';
import { turns, until } from './support/turns.js';

/**
 * One ScriptedTransport per provider build, all answering through `answer`: a token named after
 * the endpoint and secret that asked for it, so a test sees which build served a call.
 */
function world(options: Partial<FinauthOptions> = {}, providers: UncheckedProviderConfig[] = [stubProvider()]) {
  const transports: ScriptedTransport[] = [];
  const strategies: StubStrategy[] = [];
  const logs: Array<{ level: string; message: string; fields?: Readonly<Record<string, unknown>> }> = [];
  let answer: (request: HttpRequest) => Reply = (request) => tokenReply(`${new URL(request.url).pathname}|${new URLSearchParams(request.body).get('client_secret')}`);
  const factory: TransportFactory = {
    create: () => {
      const t = new ScriptedTransport();
      t.fallback = (request) => {
        const reply = answer(request);
        return typeof reply === 'function' ? reply(request) : reply;
      };
      transports.push(t);
      return t;
    },
  };
  const log = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const auth = createFinauth({
    strategies: [stubStrategyModule('stub', strategies)],
    providers,
    clock: new FakeClock(),
    transportFactory: factory,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
  });
  return { auth, transports, strategies, logs, setAnswer: (fn: typeof answer) => (answer = fn) };
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('providers that change while the service runs', () => {
  describe('setProvider', () => {
    it('adds a provider that new calls can use at once', async () => {
      const w = world();
      await w.auth.setProvider(stubProvider({ id: 'second', tokenEndpoint: 'https://127.0.0.1:1/two' }));
      expect(w.auth.providerIds).to.deep.equal(['bank', 'second']);
      expect((await w.auth.getToken('second')).accessToken).to.equal('/two|stub-secret-value-123');
    });

    it('rejects an invalid config with a ConfigError naming every problem, and changes nothing', async () => {
      const w = world();
      const before = await w.auth.getToken('bank');
      const e = await rejection(w.auth.setProvider(stubProvider({ tokenEndpoint: 42, retry: { maxRetries: 99 } })));
      expect(ConfigError.is(e)).to.equal(true);
      expect((e as ConfigError).issues.map((i) => i.path).sort()).to.deep.equal(['bank.retry.maxRetries', 'bank.tokenEndpoint']);
      expect(w.strategies).to.have.length(1);
      expect(w.transports.filter((t) => t.closed)).to.have.length(0);
      expect((await w.auth.getToken('bank')).accessToken).to.equal(before.accessToken);
      expect(w.transports[0]!.requests).to.have.length(1);
    });

    it('replaces atomically: calls in flight finish on the old provider, new calls use the new one, the old transport closes once idle', async () => {
      const w = world();
      const slow = gate();
      w.setAnswer((request) => async () => (await slow.wait, tokenReply(`old:${new URL(request.url).pathname}`)));
      const inFlight = Array.from({ length: 200 }, () => w.auth.getToken('bank'));
      await turns();
      expect(w.transports[0]!.requests).to.have.length(1);
      w.setAnswer((request) => tokenReply(`new:${new URL(request.url).pathname}`));
      await w.auth.setProvider(stubProvider({ tokenEndpoint: 'https://127.0.0.1:1/rotated' }));
      // The identity changed (endpoint): the new provider never serves the old provider's token.
      expect((await w.auth.getToken('bank')).accessToken).to.equal('new:/rotated');
      expect(w.transports[0]!.closed).to.equal(false);
      slow.open();
      const done = await Promise.all(inFlight);
      expect(new Set(done.map((t) => t.accessToken))).to.deep.equal(new Set(['old:/token']));
      await until(() => w.transports[0]!.closed, 'old transport closed');
      expect(w.strategies[0]!.closed).to.equal(true);
      expect(w.transports[1]!.closed).to.equal(false);
      expect((await w.auth.getToken('bank')).accessToken).to.equal('new:/rotated');
      expect(w.transports[0]!.requests).to.have.length(1);
      expect(w.transports[1]!.requests).to.have.length(1);
    });

    it('an old single flight finishing after the swap does not reach callers of the new provider', async () => {
      const w = world();
      const slow = gate();
      w.setAnswer(() => async () => (await slow.wait, tokenReply('old-token')));
      const before = w.auth.getToken('bank');
      await turns();
      w.setAnswer(() => tokenReply('new-token'));
      await w.auth.setProvider(stubProvider({ tokenEndpoint: 'https://127.0.0.1:1/v2' }));
      slow.open();
      expect((await before).accessToken).to.equal('old-token');
      for (let i = 0; i < 3; i++) expect((await w.auth.getToken('bank')).accessToken).to.equal('new-token');
    });
  });

  describe('removeProvider', () => {
    it('gives new calls the unknown-provider error while calls in flight finish', async () => {
      const w = world();
      const slow = gate();
      w.setAnswer(() => async () => (await slow.wait, tokenReply('last')));
      const inFlight = w.auth.getToken('bank');
      await turns();
      await w.auth.removeProvider('bank');
      const e = await rejection(w.auth.getToken('bank'));
      expect(ConfigError.is(e) && /unknown provider "bank"/.test(e.message)).to.equal(true);
      expect(() => w.auth.http('bank')).to.throw(/unknown provider/);
      slow.open();
      expect((await inFlight).accessToken).to.equal('last');
      await until(() => w.transports[0]!.closed, 'transport closed after the last call');
      expect(ConfigError.is(await rejection(w.auth.removeProvider('bank')))).to.equal(true);
    });
  });

  describe('reload', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'finauth-reload-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('rebuilds exactly the providers whose referenced material changed', async () => {
      writeFileSync(join(dir, 'a.secret'), 'secret-a-1');
      process.env['FINAUTH_TEST_RELOAD_B'] = 'secret-b-1';
      const w = world({ baseDir: dir }, [
        stubProvider({ id: 'a', secret: 'file:a.secret' }),
        stubProvider({ id: 'b', secret: 'env:FINAUTH_TEST_RELOAD_B' }),
        stubProvider({ id: 'c' }),
      ]);
      expect((await w.auth.reload()).reloaded).to.deep.equal([]);
      expect(w.strategies).to.have.length(3);
      writeFileSync(join(dir, 'a.secret'), 'secret-a-2');
      expect((await w.auth.reload()).reloaded).to.deep.equal(['a']);
      expect((await w.auth.getToken('a')).accessToken).to.equal('/token|secret-a-2');
      process.env['FINAUTH_TEST_RELOAD_B'] = 'secret-b-2';
      expect((await w.auth.reload()).reloaded).to.deep.equal(['b']);
      expect((await w.auth.getToken('b')).accessToken).to.equal('/token|secret-b-2');
      expect(w.strategies).to.have.length(5);
      delete process.env['FINAUTH_TEST_RELOAD_B'];
    });

    it('keeps the old provider when the new material is invalid, reports it, and recovers on the next good reload', async () => {
      writeFileSync(join(dir, 'a.secret'), 'secret-a-1');
      const w = world({ baseDir: dir }, [stubProvider({ id: 'a', secret: 'file:a.secret' })]);
      rmSync(join(dir, 'a.secret'));
      const result = await w.auth.reload();
      expect(result.reloaded).to.deep.equal([]);
      expect(result.failed.map((f) => [f.providerId, f.error.issues.map((i) => i.path)])).to.deep.equal([['a', ['a.secret']]]);
      expect(w.logs.some((l) => l.level === 'error' && l.fields?.['providerId'] === 'a')).to.equal(true);
      expect((await w.auth.getToken('a')).accessToken).to.equal('/token|secret-a-1');
      const health = w.auth.health();
      expect(health.providers['a']?.status).to.equal('degraded');
      expect(health.providers['a']?.invalidConfig?.map((i) => i.path)).to.deep.equal(['a.secret']);
      writeFileSync(join(dir, 'a.secret'), 'secret-a-2');
      expect((await w.auth.reload()).reloaded).to.deep.equal(['a']);
      expect(w.auth.health().providers['a']?.invalidConfig).to.equal(undefined);
    });

    it('watch: reloads after a referenced file changes (debounced); a file missing mid-replace is a logged error that keeps the old provider', async () => {
      writeFileSync(join(dir, 'a.secret'), 'secret-a-1');
      const w = world({ baseDir: dir, watch: true, watchDebounceMs: 50 }, [stubProvider({ id: 'a', secret: 'file:a.secret' })]);
      try {
        writeFileSync(join(dir, 'a.secret'), 'secret-a-');
        writeFileSync(join(dir, 'a.secret'), 'secret-a-2');
        await waitFor(() => w.strategies.length >= 2, 'reload after the change');
        await new Promise((resolve) => setTimeout(resolve, 150));
        // Two writes within the debounce: one reload, with the final content.
        expect(w.strategies.map((s) => s.config.secret)).to.deep.equal(['secret-a-1', 'secret-a-2']);
        expect((await w.auth.getToken('a', { forceRefresh: true })).accessToken).to.equal('/token|secret-a-2');
        writeFileSync(join(dir, 'unrelated.txt'), 'x');
        rmSync(join(dir, 'a.secret'));
        await waitFor(() => w.logs.some((l) => l.level === 'error' && /keeps its previous config/.test(l.message)), 'logged reload failure');
        expect((await w.auth.getToken('a', { forceRefresh: true })).accessToken).to.equal('/token|secret-a-2');
        writeFileSync(join(dir, 'a.secret'), 'secret-a-3');
        await waitFor(() => w.strategies.some((s) => s.config.secret === 'secret-a-3'), 'reload after the file is back');
        expect((await w.auth.getToken('a', { forceRefresh: true })).accessToken).to.equal('/token|secret-a-3');
      } finally {
        await w.auth.close();
      }
    });
  });

  describe("invalidProviders: 'isolate'", () => {
    it('starts the valid providers; getToken for the invalid one rejects with its ConfigError; health reports it', async () => {
      const w = world({ invalidProviders: 'isolate' }, [stubProvider({ id: 'good' }), stubProvider({ id: 'bad', tokenEndpoint: 7 }), 'not an object' as unknown as UncheckedProviderConfig]);
      expect(w.auth.providerIds).to.deep.equal(['good']);
      expect((await w.auth.getToken('good')).accessToken).to.equal('/token|stub-secret-value-123');
      const e = await rejection(w.auth.getToken('bad'));
      expect(ConfigError.is(e)).to.equal(true);
      expect((e as ConfigError).issues.map((i) => i.path)).to.deep.equal(['providers[1].tokenEndpoint']);
      const health = w.auth.health();
      expect(health.status).to.equal('degraded');
      expect(health.providers['good']?.status).to.equal('ok');
      expect(health.providers['bad']).to.deep.include({ status: 'down' });
      expect(health.providers['bad']?.invalidConfig?.map((i) => i.path)).to.deep.equal(['providers[1].tokenEndpoint']);
      expect(health.providers['providers[2]']?.status).to.equal('down');
      // Fixing it at run time replaces the isolated entry.
      await w.auth.setProvider(stubProvider({ id: 'bad' }));
      expect((await w.auth.getToken('bad')).accessToken).to.equal('/token|stub-secret-value-123');
    });

    it("'throw' (the default) still fails creation for one invalid provider", () => {
      expect(() => world({}, [stubProvider({ id: 'good' }), stubProvider({ id: 'bad', tokenEndpoint: 7 })])).to.throw(ConfigError, /providers\[1\]\.tokenEndpoint/);
      expect(() => world({ invalidProviders: 'sometimes' as 'throw' })).to.throw(ConfigError, /invalidProviders/);
    });
  });

  describe('health', () => {
    it('reports ok / degraded / down with last success, last error code and token expiry, and never a secret', async () => {
      const w = world();
      expect(w.auth.health()).to.deep.equal({ status: 'ok', providers: { bank: { status: 'ok', circuit: 'closed' } } });
      const token = await w.auth.getToken('bank');
      let h = w.auth.health();
      expect(h.providers['bank']?.tokenExpiresAt?.getTime()).to.equal(token.expiresAt?.getTime());
      expect(h.providers['bank']?.lastSuccessAt).to.be.instanceOf(Date);
      w.setAnswer(() => ({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_client"}' }));
      await rejection(w.auth.getToken('bank', { forceRefresh: true }));
      h = w.auth.health();
      expect(h.status).to.equal('degraded');
      expect(h.providers['bank']?.lastError?.code).to.equal('FINAUTH_TOKEN_ENDPOINT');
      const text = JSON.stringify(h);
      expect(text).to.not.include('stub-secret-value-123');
      expect(text).to.not.include(token.accessToken);
    });
  });
});

/** Real file-system events: waits in real time (bounded), for `watch` only. */
async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
