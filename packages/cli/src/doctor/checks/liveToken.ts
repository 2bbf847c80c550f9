import { FinauthError, TokenEndpointError } from '@finauth/core';
import { isAuthenticationRejection } from '@finauth/client-auth';
import { describeError } from '../../describeError.js';
import { fail, pass, skip, warn, type Check } from '../Check.js';
import { findWorkingVariant } from '../findWorkingVariant.js';
import { tokenFailureHint } from '../tokenFailureHint.js';

/**
 * What a 403 with an empty body usually means at a token endpoint: the server (or a gateway or WAF
 * in front of it) refused the client authentication without saying why.
 */
export const BARE_403_HINT =
  'a 403 with an empty body usually means the server, or a gateway/WAF in front of it, refused the client authentication without saying why: ' +
  'a wrong secret or key (kid), an assertion audience it does not accept (finauth tried issuer, the URL posted to and the non-alias token endpoint), ' +
  'Basic credentials it compares without form-decoding, or a client certificate or source IP it does not allow';

function isBare403(error: unknown): boolean {
  return TokenEndpointError.is(error) && error.status === 403 && error.error === undefined && error.errorDescription === undefined && error.errors === undefined;
}

/** SNAP's 4017300 covers an unknown client, a key the bank did not register and a clock out of its window. */
const SNAP_HINT = 'the bank refused the client: check clientKey, that the bank registered this key\'s public key, and this machine\'s clock (X-TIMESTAMP must be within the bank\'s window, often 5 minutes)';

/**
 * A real token from the bank, bypassing any cache. The token itself is never printed. When the
 * client authentication had to adapt, or is refused as configured, says which setting to change
 * and to what.
 */
export const liveToken: Check = {
  name: 'live token',
  async run(provider) {
    if (!provider.finauth) return skip('the config is not valid');
    const started = performance.now();
    try {
      const token = await provider.finauth.getToken(provider.id, { forceRefresh: true });
      const ms = (performance.now() - started).toFixed(0);
      const expires = token.expiresAt ? `expires in ${Math.round((token.expiresAt.getTime() - Date.now()) / 1000)} s` : 'no expires_in';
      const detail = `${token.tokenType} token, ${expires}, scope "${token.scope.join(' ')}", ${ms} ms`;
      const adapted = provider.events.find((e) => e.name === 'auth.adapted');
      if (!adapted) return pass(detail);
      const a = adapted.attributes ?? {};
      return warn(`${detail}, after the server refused ${String(a['setting'])} "${String(a['from'])}" and accepted "${String(a['to'])}"`, `pin it to skip the refused attempt after each restart: in ${provider.path} set ${String(a['pin'])}`);
    } catch (error) {
      if (FinauthError.is(error) && isAuthenticationRejection(error)) {
        const found = await findWorkingVariant(provider);
        if (found) return fail(describeError(error), `${found.setting} "${found.configured}" is refused, but finauth got a token with another value: in ${provider.path} set ${found.pin}`);
        if (isBare403(error)) return fail(describeError(error), BARE_403_HINT);
      }
      const snap = provider.raw['strategy'] === 'snap_bi' && FinauthError.is(error) && error.code === 'FINAUTH_TOKEN_ENDPOINT';
      return fail(describeError(error), snap ? SNAP_HINT : tokenFailureHint(provider, error));
    }
  },
};
