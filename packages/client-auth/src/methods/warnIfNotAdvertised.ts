import type { DiscoveredMetadata, StrategyContext } from '@finauth/core';

/**
 * Advisory, once per provider: the server decides, but a method or algorithm its metadata does not
 * list explains the `invalid_client` that follows.
 * @see RFC 8414 §2 (token_endpoint_auth_methods_supported, token_endpoint_auth_signing_alg_values_supported)
 */
export function warnIfNotAdvertised(metadata: DiscoveredMetadata, used: { readonly method: string; readonly alg?: string | undefined }, context: Pick<StrategyContext, 'logger' | 'providerId'>): void {
  const { method, alg } = used;
  if (metadata.tokenEndpointAuthMethods && !metadata.tokenEndpointAuthMethods.includes(method)) {
    context.logger.warn(`the discovery document does not list ${method} in token_endpoint_auth_methods_supported`, { providerId: context.providerId, supported: metadata.tokenEndpointAuthMethods.join(' ') });
  }
  const signs = method === 'private_key_jwt' || method === 'client_secret_jwt';
  if (signs && alg !== undefined && metadata.tokenEndpointSigningAlgs && !metadata.tokenEndpointSigningAlgs.includes(alg)) {
    context.logger.warn(`the discovery document does not list ${alg} in token_endpoint_auth_signing_alg_values_supported`, { providerId: context.providerId, supported: metadata.tokenEndpointSigningAlgs.join(' ') });
  }
}
