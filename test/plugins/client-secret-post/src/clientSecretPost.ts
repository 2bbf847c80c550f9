import { STRATEGY_FACTORY, type Strategy, type StrategyFactory, type TokenRequest } from '@finauth/core';
import { ContainerModule } from 'inversify';
import { ClientSecretPostConfig } from './ClientSecretPostConfig.js';

/**
 * client_secret_post: the credentials travel in the form body.
 * @see RFC 6749 §2.3.1 ("the authorization server MAY support including the client credentials in the request-body")
 */
class ClientSecretPost implements Strategy {
  readonly authMethod = 'client_secret_post';
  readonly identity: readonly string[];
  readonly secrets: readonly string[];

  constructor(private readonly config: ClientSecretPostConfig) {
    this.identity = [config.tokenEndpoint, config.clientId];
    this.secrets = [config.clientSecret];
  }

  prepareTokenRequest(request: TokenRequest): void {
    request.url = this.config.tokenEndpoint;
    request.body.set('client_id', this.config.clientId);
    request.body.set('client_secret', this.config.clientSecret);
  }
}

const factory: StrategyFactory<ClientSecretPostConfig> = {
  kind: 'client_secret_post',
  configClass: ClientSecretPostConfig,
  create: (config) => new ClientSecretPost(config),
};

/** The strategy as an inversify module: `createFinauth({ strategies: [clientSecretPost()] })`. */
export function clientSecretPost(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(STRATEGY_FACTORY).toConstantValue(factory);
  });
}
