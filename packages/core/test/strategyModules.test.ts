import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { ContainerModule } from 'inversify';
import { createFinauth } from '../src/createFinauth.js';
import { STRATEGY_FACTORY } from '../src/di/identifiers.js';
import { ConfigError } from '../src/errors/index.js';
import type { FinauthOptions } from '../src/config/FinauthOptions.js';
import type { StrategyFactory } from '../src/strategy/Strategy.js';
import { ScriptedTransport, tokenReply } from './support/ScriptedTransport.js';
import { StubConfig, StubStrategy, stubProvider, stubStrategyModule } from './support/stubStrategy.js';

function issues(options: unknown): string[] {
  try {
    void createFinauth(options as FinauthOptions).close();
  } catch (e) {
    if (ConfigError.is(e)) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/**
 * A strategy package that bundled its own inversify instead of taking it as a peer: its
 * ContainerModule comes from a second copy of the library (a different module instance).
 */
describe('strategy modules', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const copy = join(here, 'second-inversify', 'node_modules');

  before(() => {
    // .../node_modules/inversify/lib/index.js
    const inversifyDir = dirname(dirname(fileURLToPath(import.meta.resolve('inversify'))));
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(join(copy, '@inversifyjs'), { recursive: true });
    cpSync(inversifyDir, join(copy, 'inversify'), { recursive: true });
    cpSync(join(inversifyDir, '..', '@inversifyjs'), join(copy, '@inversifyjs'), { recursive: true });
  });
  after(() => rmSync(dirname(copy), { recursive: true, force: true }));

  it('recognises a ContainerModule from a second copy of inversify and uses its strategy', async () => {
    const second = (await import(pathToFileURL(join(copy, 'inversify', 'lib', 'index.js')).href)) as typeof import('inversify');
    const ours = await import('inversify');
    expect(second.ContainerModule, 'the copy is a separate module instance').to.not.equal(ours.ContainerModule);
    const factory: StrategyFactory<StubConfig> = { kind: 'stub', configClass: StubConfig, create: (config) => new StubStrategy(config) };
    const foreign = new second.ContainerModule(({ bind }) => {
      bind(STRATEGY_FACTORY).toConstantValue(factory);
    });
    expect(foreign instanceof ours.ContainerModule).to.equal(false);
    const transport = new ScriptedTransport().reply(tokenReply('from-foreign-module'));
    const auth = createFinauth({ strategies: [foreign as unknown as ContainerModule], providers: [stubProvider()], transportFactory: transport.factory() });
    try {
      expect((await auth.getToken('bank')).accessToken).to.equal('from-foreign-module');
    } finally {
      await auth.close();
    }
  });

  it('says "call it" for the strategy package function itself', () => {
    expect(issues({ strategies: [stubStrategyModule], providers: [] })).to.deep.equal(['strategies[0]: is the strategy package function itself: call it (e.g. fapi2(), not fapi2)']);
  });

  it('says what an entry is when it is not a module at all', () => {
    class Fapi2Config {}
    expect(issues({ strategies: [{}, null, 'fapi2', new Fapi2Config()], providers: [] })).to.deep.equal([
      'strategies[0]: is not an inversify ContainerModule, got an object (Object) (a strategy package exports a function returning one, e.g. fapi2())',
      'strategies[1]: is not an inversify ContainerModule, got null (a strategy package exports a function returning one, e.g. fapi2())',
      'strategies[2]: is not an inversify ContainerModule, got a string (a strategy package exports a function returning one, e.g. fapi2())',
      'strategies[3]: is not an inversify ContainerModule, got an object (Fapi2Config) (a strategy package exports a function returning one, e.g. fapi2())',
    ]);
  });
});
