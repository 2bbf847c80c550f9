import { describeError } from '../../describeError.js';
import { fail, pass, skip, type Check } from '../Check.js';
import { tokenFailureHint } from '../tokenFailureHint.js';

/** A real token from the bank, bypassing any cache. The token itself is never printed. */
export const liveToken: Check = {
  name: 'live token',
  async run(provider) {
    if (!provider.finauth) return skip('the config is not valid');
    const started = performance.now();
    try {
      const token = await provider.finauth.getToken(provider.id, { forceRefresh: true });
      const ms = (performance.now() - started).toFixed(0);
      const expires = token.expiresAt ? `expires in ${Math.round((token.expiresAt.getTime() - Date.now()) / 1000)} s` : 'no expires_in';
      return pass(`${token.tokenType} token, ${expires}, scope "${token.scope.join(' ')}", ${ms} ms`);
    } catch (error) {
      return fail(describeError(error), tokenFailureHint(provider, error));
    }
  },
};
