import { IsString } from 'class-validator';
import { ContainerModule } from 'inversify';
import { ProviderConfig } from '../../src/config/ProviderConfig.js';
import { SecretRef } from '../../src/config/SecretRef.js';
import { STRATEGY_FACTORY } from '../../src/di/identifiers.js';
import type { FinauthError } from '../../src/errors/index.js';
import type { Strategy, StrategyFactory, TokenCallContext, TokenRequest } from '../../src/strategy/Strategy.js';

export class StubConfig extends ProviderConfig {
  @IsString()
  tokenEndpoint!: string;

  @IsString() @SecretRef()
  secret!: string;
}

/** A strategy that records what core asks of it. */
export class StubStrategy implements Strategy {
  readonly authMethod = 'stub';
  readonly prepared: Array<{ attempt: number; body: string; options: Readonly<Record<string, unknown>> }> = [];
  recoverCalls = 0;
  recoverAnswer = false;
  /** Thrown by recover() when set: ends the fetch with it. */
  recoverThrows: FinauthError | undefined;
  maxRecoveries: number | undefined;
  /** The `fetch` object of each attempt's context. */
  readonly fetches: object[] = [];
  closed = false;
  constructor(readonly config: StubConfig) {}
  get identity(): string[] {
    return [this.config.tokenEndpoint];
  }
  get secrets(): string[] {
    return [this.config.secret];
  }
  prepareTokenRequest(request: TokenRequest, ctx: TokenCallContext): void {
    request.url = this.config.tokenEndpoint;
    request.body.set('client_secret', this.config.secret);
    request.body.set('nonce', String(ctx.attempt));
    this.prepared.push({ attempt: ctx.attempt, body: request.body.toString(), options: ctx.options });
    this.fetches.push(ctx.fetch);
  }
  recover(_error: FinauthError): boolean {
    this.recoverCalls++;
    if (this.recoverThrows) throw this.recoverThrows;
    return this.recoverAnswer;
  }
  resourceHeaders(): Record<string, string> {
    return { 'x-stub': 'yes' };
  }
  close(): void {
    this.closed = true;
  }
}

export function stubStrategyModule(kind = 'stub', created: StubStrategy[] = []): ContainerModule {
  const factory: StrategyFactory<StubConfig> = {
    kind,
    configClass: StubConfig,
    create: (config) => {
      const s = new StubStrategy(config);
      created.push(s);
      return s;
    },
  };
  return new ContainerModule(({ bind }) => {
    bind(STRATEGY_FACTORY).toConstantValue(factory);
  });
}

export const stubProvider = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'bank',
  strategy: 'stub',
  tokenEndpoint: 'https://127.0.0.1:1/token',
  secret: 'stub-secret-value-123',
  retry: { maxRetries: 2, maxDelayMs: 5000 },
  ...over,
});
