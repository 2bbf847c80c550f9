import { ConfigError, type ConfigIssue, type StrategyFactory } from '@finauth/core';
import { RAW_COLON_MESSAGE, sendableRaw } from '@finauth/client-auth';
import { ClientSecretBasicConfig } from './ClientSecretBasicConfig.js';
import { ClientSecretBasicStrategy } from './ClientSecretBasicStrategy.js';

export const CLIENT_SECRET_BASIC = 'client_secret_basic';

/** With the `u` flag, `\p{Cs}` matches only unpaired surrogates: text UTF-8 cannot carry. The secret is checked once resolved. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks what decorators cannot see (the values after `env:`/`file:` resolution, the pairing of
 * client id and encoding) and builds the strategy. Paths are relative to the provider.
 */
export const clientSecretBasicFactory: StrategyFactory<ClientSecretBasicConfig> = {
  kind: CLIENT_SECRET_BASIC,
  configClass: ClientSecretBasicConfig,
  create(config) {
    const issues: ConfigIssue[] = [];
    const credentialEncoding = config.credentialEncoding ?? 'auto';
    // A secret read with `file:` usually ends with the editor's newline, which no gateway expects.
    const clientSecret = config.clientSecret.replace(/\r?\n$/, '');
    if (clientSecret.length === 0) issues.push({ path: 'clientSecret', message: 'is empty once resolved' });
    else if (LONE_SURROGATE.test(clientSecret)) issues.push({ path: 'clientSecret', message: 'is not well-formed Unicode (a lone surrogate cannot be sent as UTF-8)' });
    // The config class reports this with every other issue; checked again for callers that build a config by hand.
    if (credentialEncoding === 'raw' && !sendableRaw(config.clientId)) issues.push({ path: 'clientId', message: RAW_COLON_MESSAGE });
    if (issues.length > 0) throw new ConfigError(issues, { providerId: config.id });
    return new ClientSecretBasicStrategy({
      // The WHATWG form: scheme and host lower-cased, so `HTTPS://` is still https to the transport.
      tokenEndpoint: new URL(config.tokenEndpoint).href,
      clientId: config.clientId,
      clientSecret,
      credentialEncoding,
    });
  },
};
