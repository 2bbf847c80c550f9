import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Container } from 'inversify';
import { MemoryTokenCache } from '../src/cache/MemoryTokenCache.js';
import { loadConfigFile } from '../src/config/loadConfigFile.js';
import { createFinauth } from '../src/createFinauth.js';
import { CLOCK, STRATEGY_FACTORY, TOKEN_CACHE } from '../src/di/identifiers.js';
import { ConfigError } from '../src/errors/index.js';
import type { FinauthOptions } from '../src/config/FinauthOptions.js';
import { FakeClock } from './support/FakeClock.js';
import { ScriptedTransport, tokenReply } from './support/ScriptedTransport.js';
import { stubProvider, stubStrategyModule, type StubStrategy } from './support/stubStrategy.js';

function configError(options: unknown): ConfigError {
  try {
    createFinauth(options as FinauthOptions);
  } catch (e) {
    if (ConfigError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
const paths = (e: ConfigError): string[] => e.issues.map((i) => i.path);
const base = (providers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  strategies: [stubStrategyModule()],
  providers,
  transportFactory: new ScriptedTransport().factory(),
  ...extra,
});

describe('createFinauth', () => {
  describe('validation', () => {
    it('throws from createFinauth itself, listing every bad field by path', () => {
      const e = configError(
        base(
          [
            stubProvider({ tokenEndpoint: 5, timeoutMs: 'slow', retry: { maxRetries: -1 }, extra: true }),
            { id: 'b', strategy: 'nah' },
            'not an object',
            stubProvider({ id: 'c', scope: 'a  b' }),
          ],
          { refreshSkewSeconds: 'x', bogusOption: 1 },
        ),
      );
      expect(paths(e)).to.have.members([
        'bogusOption',
        'refreshSkewSeconds',
        'providers[0].tokenEndpoint',
        'providers[0].timeoutMs',
        'providers[0].retry.maxRetries',
        'providers[0].extra',
        'providers[1].strategy',
        'providers[2]',
        'providers[3].scope',
      ]);
      expect(e.code).to.equal('FINAUTH_CONFIG');
      expect(e.issues.find((i) => i.path === 'providers[0].extra')!.message).to.equal('unknown field');
      expect(e.issues.find((i) => i.path === 'providers[0].timeoutMs')!.message).to.match(/integer/);
    });

    it('reports every reference that does not resolve, by path: the provider\'s own fields first, then its nested ones, in field order', () => {
      for (const name of ['FINAUTH_TEST_UNSET_A', 'FINAUTH_TEST_UNSET_B', 'FINAUTH_TEST_UNSET_C']) delete process.env[name];
      const e = configError(base([stubProvider(), stubProvider({ id: 'b', proxy: 'env:FINAUTH_TEST_UNSET_A', secret: 'env:FINAUTH_TEST_UNSET_B', tls: { cert: 'file:/nonexistent/finauth-cert.pem', key: 'env:FINAUTH_TEST_UNSET_C' } })]));
      expect(paths(e)).to.deep.equal(['providers[1].proxy', 'providers[1].secret', 'providers[1].tls.cert', 'providers[1].tls.key']);
    });

    it('among a thousand providers, reports every invalid field of each invalid one at creation, by path (the fast path lets none through)', () => {
      const providers = Array.from({ length: 1000 }, (_, i) => stubProvider({ id: `bank-${i}` }));
      providers[3] = stubProvider({ id: 'bank-3', tls: { cert: '' } });
      providers[250] = stubProvider({ id: 'bank-250', tls: { key: 42, ca: '' } });
      providers[251] = stubProvider({ id: 'bank-251', tls: { cert: 'not a certificate', key: 'not a key' } });
      providers[600] = stubProvider({ id: ' bank-600', retry: { maxRetries: 2, baseDelay: 1 } });
      providers[601] = stubProvider({ id: 'bank-601', secret: 'env:FINAUTH_TEST_UNSET_SECRET_601' });
      providers[999] = stubProvider({ id: 'bank-999', tokenEndpoint: undefined, circuit: { failureThreshold: 0 } });
      delete process.env['FINAUTH_TEST_UNSET_SECRET_601'];
      const e = configError(base(providers));
      expect(e.issues.map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
        'providers[3].tls.cert: must be longer than or equal to 1 characters',
        'providers[250].tls.key: must be a string',
        'providers[250].tls.ca: must be longer than or equal to 1 characters',
        'providers[251].tls.cert: is not a PEM X.509 certificate',
        'providers[251].tls.key: is not a PEM private key (an encrypted key needs tls.passphrase)',
        'providers[600].id: must be 1-128 letters, digits, ".", "_", ":" or "-"',
        'providers[600].retry.baseDelay: unknown field (did you mean "baseDelayMs"?)',
        'providers[601].secret: environment variable FINAUTH_TEST_UNSET_SECRET_601 is not set',
        'providers[999].tokenEndpoint: is required',
        'providers[999].circuit.failureThreshold: must not be less than 1',
      ]);
    });

    it('names the registered strategies for an unknown strategy', () => {
      const e = configError(base([stubProvider({ strategy: 'fapi3' })]));
      expect(e.issues[0]!.message).to.contain('"fapi3"').and.contain('stub');
    });

    it('rejects duplicate provider ids', () => {
      const e = configError(base([stubProvider(), stubProvider()]));
      expect(e.issues).to.deep.equal([{ path: 'providers[1].id', message: 'duplicate provider id "bank"' }]);
    });

    it('rejects two strategies claiming one kind', () => {
      const e = configError(base([stubProvider()], { strategies: [stubStrategyModule('stub'), stubStrategyModule('stub')] }));
      expect(e.issues[0]!.message).to.contain('two strategies claim the kind "stub"');
    });

    it('rejects strategies that are not ContainerModules, and a missing providers array', () => {
      expect(paths(configError({ strategies: [{}], providers: [] }))).to.deep.equal(['strategies[0]']);
      expect(paths(configError({ strategies: [] }))).to.deep.equal(['providers']);
      expect(configError(null).issues[0]!.message).to.match(/must be an object/);
    });

    it('rejects an injected service that does not implement its interface', () => {
      const e = configError(base([stubProvider()], { cache: { get: () => undefined } }));
      expect(e.issues[0]).to.deep.include({ path: 'cache' });
      expect(e.issues[0]!.message).to.contain('set, delete');
    });
  });

  describe('secret references', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finauth-core-'));
    writeFileSync(join(dir, 'secret.txt'), 'from-a-file-secret');

    it('resolves env: and file: once at creation', async () => {
      process.env['FINAUTH_TEST_SECRET'] = 'from-env-secret';
      const created: StubStrategy[] = [];
      const transport = new ScriptedTransport().reply(tokenReply());
      createFinauth({
        strategies: [stubStrategyModule('stub', created)],
        providers: [stubProvider({ secret: 'env:FINAUTH_TEST_SECRET' }), stubProvider({ id: 'two', secret: `file:${join(dir, 'secret.txt')}` })],
        transportFactory: transport.factory(),
      });
      expect(created.map((s) => s.config.secret)).to.deep.equal(['from-env-secret', 'from-a-file-secret']);
    });

    it('resolves a relative file: against baseDir', () => {
      const created: StubStrategy[] = [];
      createFinauth({ strategies: [stubStrategyModule('stub', created)], providers: [stubProvider({ secret: 'file:secret.txt' })], baseDir: dir, transportFactory: new ScriptedTransport().factory() });
      expect(created[0]!.config.secret).to.equal('from-a-file-secret');
    });

    it('reports a missing variable or unreadable file by field, never by value', () => {
      delete process.env['FINAUTH_MISSING'];
      const e = configError(base([stubProvider({ secret: 'env:FINAUTH_MISSING' }), stubProvider({ id: 'b', secret: 'file:/no/such/file' })]));
      expect(e.issues).to.have.length(2);
      expect(e.issues[0]).to.deep.equal({ path: 'providers[0].secret', message: 'environment variable FINAUTH_MISSING is not set' });
      expect(e.issues[1]!.path).to.equal('providers[1].secret');
      expect(e.issues[1]!.message).to.contain('ENOENT');
    });

    it('leaves fields that are not marked as references alone', () => {
      const created: StubStrategy[] = [];
      createFinauth({ strategies: [stubStrategyModule('stub', created)], providers: [stubProvider({ tokenEndpoint: 'env:HOME' })], transportFactory: new ScriptedTransport().factory() });
      expect(created[0]!.config.tokenEndpoint).to.equal('env:HOME');
    });
  });

  describe('config files', () => {
    it('reads a JSON file and resolves file: relative to its folder', () => {
      const dir = mkdtempSync(join(tmpdir(), 'finauth-cfg-'));
      writeFileSync(join(dir, 'client.secret'), 'file-secret-value');
      writeFileSync(join(dir, 'finauth.json'), JSON.stringify({ providers: [stubProvider({ secret: 'file:client.secret' })], refreshSkewSeconds: 30 }));
      const created: StubStrategy[] = [];
      const options = loadConfigFile(join(dir, 'finauth.json'));
      createFinauth({ ...options, strategies: [stubStrategyModule('stub', created)], transportFactory: new ScriptedTransport().factory() });
      expect(created[0]!.config.secret).to.equal('file-secret-value');
    });

    it('reports an unreadable or invalid file as a ConfigError', () => {
      const dir = mkdtempSync(join(tmpdir(), 'finauth-cfg-'));
      writeFileSync(join(dir, 'bad.json'), '{ "providers": [ ');
      for (const path of [join(dir, 'bad.json'), join(dir, 'missing.json')]) {
        try {
          loadConfigFile(path);
          expect.fail('expected a ConfigError');
        } catch (e) {
          expect(ConfigError.is(e)).to.equal(true);
        }
      }
    });
  });

  describe('dependency injection', () => {
    it('uses services bound in a container the caller brings', async () => {
      const container = new Container();
      const clock = new FakeClock();
      const cache = new MemoryTokenCache();
      container.bind(CLOCK).toConstantValue(clock);
      container.bind(TOKEN_CACHE).toConstantValue(cache);
      const transport = new ScriptedTransport().reply(tokenReply('t', 100));
      const auth = createFinauth({ container, strategies: [stubStrategyModule()], providers: [stubProvider()], transportFactory: transport.factory() });
      const token = await auth.getToken('bank');
      expect(token.expiresAt!.getTime()).to.equal(clock.now() + 100_000);
      expect(cache.size).to.equal(1);
      expect(auth.container).to.equal(container);
      expect(auth.container.getAll(STRATEGY_FACTORY)).to.have.length(1);
    });

    it('lets an option replace a service already bound', async () => {
      const container = new Container();
      const unused = new MemoryTokenCache();
      container.bind(TOKEN_CACHE).toConstantValue(unused);
      const cache = new MemoryTokenCache();
      const auth = createFinauth({ container, cache, strategies: [stubStrategyModule()], providers: [stubProvider()], transportFactory: new ScriptedTransport().reply(tokenReply()).factory() });
      await auth.getToken('bank');
      expect(cache.size).to.equal(1);
      expect(unused.size).to.equal(0);
    });

    it('closes the cache it was given when it throws a ConfigError (the caller has nothing to close)', () => {
      const closed: string[] = [];
      const closing = (name: string): MemoryTokenCache => Object.assign(new MemoryTokenCache(), { close: () => void closed.push(name) });
      expect(paths(configError(base([stubProvider({ timeoutMs: -1 })], { cache: closing('option') })))).to.include('providers[0].timeoutMs');
      expect(paths(configError(base([stubProvider()], { cache: closing('no-providers'), providers: 'x' })))).to.include('providers');
      const container = new Container();
      container.bind(TOKEN_CACHE).toDynamicValue(() => closing('container')).inSingletonScope();
      configError(base([{ id: 'bank' }], { container }));
      expect(closed).to.deep.equal(['option', 'no-providers', 'container']);
      // A cache whose close() throws or rejects does not replace the ConfigError.
      const broken = Object.assign(new MemoryTokenCache(), { close: () => { throw new Error('boom'); } });
      expect(ConfigError.is(configError(base([{ id: 'bank' }], { cache: broken })))).to.equal(true);
      const rejecting = Object.assign(new MemoryTokenCache(), { close: () => Promise.reject(new Error('boom')) });
      expect(ConfigError.is(configError(base([{ id: 'bank' }], { cache: rejecting })))).to.equal(true);
    });

    it('does not close the cache when creation succeeds', () => {
      let closed = 0;
      const cache = Object.assign(new MemoryTokenCache(), { close: () => void closed++ });
      createFinauth(base([stubProvider()], { cache }) as unknown as FinauthOptions);
      expect(closed).to.equal(0);
    });

    it('describes each provider for tools', () => {
      const auth = createFinauth(base([stubProvider({ scope: 'accounts' })]) as unknown as FinauthOptions);
      expect(auth.providerIds).to.deep.equal(['bank']);
      expect(auth.provider('bank')).to.deep.equal({ id: 'bank', strategy: 'stub', authMethod: 'stub', scope: 'accounts' });
    });

    it('carries resourceOrigins, normalised, for http() and tools', () => {
      const auth = createFinauth(base([stubProvider({ resourceOrigins: ['https://API.Bank.example:443/', 'https://127.0.0.1:8443'] })]) as unknown as FinauthOptions);
      expect(auth.provider('bank').resourceOrigins).to.deep.equal(['https://api.bank.example', 'https://127.0.0.1:8443']);
    });
  });
});
