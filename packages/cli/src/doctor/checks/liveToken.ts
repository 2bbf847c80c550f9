import { FinauthError } from '@finauth/core';
import { describeError } from '../../describeError.js';
import { fail, pass, skip, type Check } from '../Check.js';

const HINTS: Record<string, string> = {
  FINAUTH_TOKEN_ENDPOINT: 'the bank refused the client: check clientId, the registered certificate or key (kid), scope and the assertion audience',
  FINAUTH_TRANSPORT: 'the request did not complete: see the TLS handshake check, and the timeoutMs setting',
  FINAUTH_DISCOVERY: 'see the discovery check',
  FINAUTH_RESPONSE_FORMAT: 'the server answered 2xx with something that is not a token: is tokenEndpoint the token endpoint?',
};

/** SNAP's 4017300 covers an unknown client, a key the bank did not register and a clock out of its window. */
const SNAP_HINT = 'the bank refused the client: check clientKey, that the bank registered this key\'s public key, and this machine\'s clock (X-TIMESTAMP must be within the bank\'s window, often 5 minutes)';

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
      const code = FinauthError.is(error) ? error.code : '';
      const hint = provider.raw['strategy'] === 'snap_bi' && code === 'FINAUTH_TOKEN_ENDPOINT' ? SNAP_HINT : HINTS[code];
      return fail(describeError(error), hint ?? 'run with --verbose for the stack');
    }
  },
};
