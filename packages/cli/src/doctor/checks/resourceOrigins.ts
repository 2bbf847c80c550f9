import { pass, skip, warn, type Check, type ProviderUnderCheck } from '../Check.js';
import { rawField } from '../providerFields.js';

/**
 * A token is sender-constrained when using it needs more than the token: the client certificate
 * (RFC 8705 certificate-bound tokens; FAPI 2.0 requires them, so every fapi2 provider has one) or
 * a DPoP key (RFC 9449). Anything else is a plain bearer token: whoever receives it can use it.
 */
function senderConstraint(provider: ProviderUnderCheck): string | undefined {
  if (typeof rawField(provider, 'tls.cert') === 'string') return 'sent with the client certificate (mTLS): a certificate-bound token is useless without it';
  const dpop = rawField(provider, 'dpop');
  if (dpop !== undefined && dpop !== false) return 'bound to a DPoP key';
  return undefined;
}

/** The example origin for the hint: the token endpoint's or issuer's, when the config has one. */
function exampleOrigin(provider: ProviderUnderCheck): string {
  for (const field of ['tokenEndpoint', 'issuer']) {
    const value = rawField(provider, field);
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value);
      if (url.protocol === 'https:') return url.origin;
    } catch {
      // not a URL: the config check reports it
    }
  }
  return 'https://api.bank.example';
}

/** Issue 12: where `http(id)` may send the provider's token. */
export const resourceOrigins: Check = {
  name: 'resource origins',
  run(provider) {
    const origins = provider.finauth?.provider(provider.id).resourceOrigins;
    if (rawField(provider, 'resourceOrigins') !== undefined) {
      if (!origins) return skip('the config is not valid');
      return pass(`http() sends the token only to ${origins.join(', ')}`);
    }
    const constraint = senderConstraint(provider);
    if (constraint) return pass(`not set: http() sends the token to any https origin; it is ${constraint}`);
    return warn(
      'not set: http() sends this plain bearer token to any https origin a URL names',
      `list the origins of the APIs you call with this provider, e.g. "resourceOrigins": ["${exampleOrigin(provider)}"]`,
    );
  },
};
