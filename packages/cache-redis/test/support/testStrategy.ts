import { ProviderConfig, STRATEGY_FACTORY, type Strategy, type StrategyFactory, type TokenRequest } from '@finauth/core';
import { IsNotEmpty, IsString, IsUrl } from 'class-validator';
import { ContainerModule } from 'inversify';

/** A minimal strategy on core's public SPI: the client id in the form body, no credential. */
export class TestPostConfig extends ProviderConfig {
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false })
  tokenEndpoint!: string;

  @IsString() @IsNotEmpty()
  clientId!: string;
}

class TestPost implements Strategy {
  readonly authMethod = 'none';
  readonly identity: readonly string[];

  constructor(private readonly config: TestPostConfig) {
    this.identity = [config.tokenEndpoint, config.clientId];
  }

  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.config.tokenEndpoint;
    request.body.set('client_id', this.config.clientId);
  }
}

const factory: StrategyFactory<TestPostConfig> = {
  kind: 'test_post',
  configClass: TestPostConfig,
  create: (config) => new TestPost(config),
};

export function testPost(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(STRATEGY_FACTORY).toConstantValue(factory);
  });
}
