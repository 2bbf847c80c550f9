import { ConfigError, createFinauth, type UncheckedProviderConfig } from '@finauth/core';
import { describeError } from '../../describeError.js';
import { fail, pass, type Check } from '../Check.js';

/**
 * The provider alone through createFinauth, exactly as a service would create it; keeps the
 * instance for the live token check.
 */
export const configValid: Check = {
  name: 'config valid',
  run(provider) {
    try {
      provider.finauth = createFinauth({ ...provider.options, baseDir: provider.baseDir, providers: [provider.raw as UncheckedProviderConfig], strategies: provider.strategies(), telemetry: { emit: (e) => void provider.events.push(e) } });
      const info = provider.finauth.provider(provider.id);
      return pass(`strategy ${info.strategy}, client authentication ${info.authMethod}`);
    } catch (error) {
      if (!ConfigError.is(error)) return fail(describeError(error), 'report this: a valid or invalid config should never fail otherwise');
      const issues = error.issues.map((i) => `${i.path.replace(/^providers\[0\]/, provider.path)}: ${i.message}`);
      return fail(issues.join('; '), 'fix the fields named; the provider fields are in docs/getting-started.md');
    }
  },
};
