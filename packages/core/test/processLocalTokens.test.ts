import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import type { CachedToken, TokenCache } from '../src/cache/TokenCache.js';
import { createFinauth } from '../src/createFinauth.js';
import { STRATEGY_FACTORY } from '../src/di/identifiers.js';
import type { StrategyFactory } from '../src/strategy/Strategy.js';
import { FakeClock } from './support/FakeClock.js';
import { ScriptedTransport, tokenReply } from './support/ScriptedTransport.js';
import { StubConfig, StubStrategy, stubProvider } from './support/stubStrategy.js';

/** A shared cache that records what reaches it. */
class RecordingCache implements TokenCache {
  readonly writes: string[] = [];
  readonly reads: string[] = [];
  private readonly entries = new Map<string, CachedToken>();
  get(key: string): CachedToken | undefined {
    this.reads.push(key);
    return this.entries.get(key);
  }
  set(key: string, entry: CachedToken): void {
    this.writes.push(key);
    this.entries.set(key, entry);
  }
  delete(): void {}
}

function moduleWith(processLocal: boolean): ContainerModule {
  const factory: StrategyFactory<StubConfig> = {
    kind: 'stub',
    configClass: StubConfig,
    create: (config) => Object.assign(new StubStrategy(config), { processLocalTokens: processLocal }),
  };
  return new ContainerModule(({ bind }) => {
    bind(STRATEGY_FACTORY).toConstantValue(factory);
  });
}

describe('Strategy.processLocalTokens', () => {
  for (const processLocal of [true, false]) {
    it(processLocal ? 'keeps tokens bound to a key of this process out of a shared cache' : 'uses the shared cache for any other token', async () => {
      const cache = new RecordingCache();
      const transport = new ScriptedTransport();
      transport.reply(tokenReply('t1'));
      const auth = createFinauth({ strategies: [moduleWith(processLocal)], providers: [stubProvider()], cache, clock: new FakeClock(), transportFactory: transport.factory() });
      expect((await auth.getToken('bank')).accessToken).to.equal('t1');
      expect((await auth.getToken('bank')).accessToken).to.equal('t1');
      expect(transport.requests).to.have.length(1);
      expect(cache.writes.length > 0).to.equal(!processLocal);
      expect(cache.reads.length > 0).to.equal(!processLocal);
      await auth.close();
    });
  }
});
