import { FinauthError } from '@finauth/core';
import { HttpsTransport } from '@finauth/core/internal';
import { discover, FAPI2_TLS_POLICY } from '@finauth/fapi2';
import { describeError } from '../../describeError.js';
import { fail, pass, skip, warn, type Check } from '../Check.js';
import { proxyOf, rawField, resolvedTls, timeoutOf } from '../providerFields.js';

/**
 * Fetches the well-known document over the provider's own mTLS transport, as the fapi2 strategy
 * does: reachable, issuer identical (RFC 8414 §3.3), which token endpoint is used (RFC 8705 §5).
 */
export const discovery: Check = {
  name: 'discovery',
  async run(provider) {
    const configured = rawField(provider, 'tokenEndpoint');
    if (typeof configured === 'string') {
      provider.tokenEndpoint = configured;
      return skip(`not used: tokenEndpoint is configured (${configured})`);
    }
    const issuer = rawField(provider, 'issuer');
    if (provider.raw['strategy'] !== 'fapi2' || typeof issuer !== 'string') return skip('no issuer to discover');
    // Through the provider's egress proxy, when it has one: the path its token requests take.
    const { proxy } = proxyOf(provider);
    const transport = new HttpsTransport({ providerId: provider.id, tls: resolvedTls(provider), policy: FAPI2_TLS_POLICY, timeoutMs: timeoutOf(provider), maxResponseBytes: 1024 * 1024, proxy });
    try {
      const { metadata, url } = await discover(transport, issuer, { providerId: provider.id });
      provider.tokenEndpoint = metadata.tokenEndpoint;
      const detail = `${url}: issuer matches; token endpoint ${metadata.tokenEndpoint}`;
      if (!metadata.viaMtlsAlias) return warn(`${detail} (no mtls_endpoint_aliases)`, 'the bank advertises no mTLS alias: token_endpoint is used, which is right only if it accepts client certificates');
      return pass(`${detail} (mtls_endpoint_aliases)`);
    } catch (error) {
      const code = FinauthError.is(error) ? error.code : '';
      const hint = code === 'FINAUTH_DISCOVERY'
        ? 'the issuer must be exactly the "issuer" of the bank\'s well-known document (scheme, host, port, path, no trailing slash)'
        : 'check the host and port are reachable from here, and that tls.ca trusts the server certificate';
      return fail(describeError(error), hint);
    } finally {
      transport.close();
    }
  },
};
