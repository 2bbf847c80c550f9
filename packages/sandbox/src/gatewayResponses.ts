import type { GatewayErrorStyle } from './types.js';

/** Constants of the BNP Paribas CIB gateway page's token response that describe the gateway's API product. */
export const GATEWAY_PRODUCT = {
  apiProducts: ['psd2-stet-v1'],
  organizationName: 'bnpinternet',
  applicationName: 'finauth-sandbox-app',
} as const;

export interface GatewayTokenFields {
  accessToken: string;
  clientId: string;
  scope: string;
  lifetimeSeconds: number;
  issuedAtMs: number;
}

/**
 * The BNP Paribas CIB gateway page's response, field for field (and valid JSON, which the page's sample is not): numbers
 * as strings, `token_type` "BearerToken", the Apigee product fields.
 */
export function gatewayTokenResponse(f: GatewayTokenFields): Record<string, unknown> {
  return {
    refresh_token_expires_in: '0',
    api_product_list: `[${GATEWAY_PRODUCT.apiProducts.join(', ')}]`,
    api_product_list_json: [...GATEWAY_PRODUCT.apiProducts],
    organization_name: GATEWAY_PRODUCT.organizationName,
    token_type: 'BearerToken',
    issued_at: String(f.issuedAtMs),
    client_id: f.clientId,
    access_token: f.accessToken,
    application_name: GATEWAY_PRODUCT.applicationName,
    scope: f.scope,
    expires_in: String(f.lifetimeSeconds),
    refresh_count: '0',
    status: 'approved',
  };
}

/** The two non-OAuth 401 bodies Apigee gateways return for an unknown client or a bad secret. */
export function invalidClientBody(style: GatewayErrorStyle): Record<string, unknown> {
  return style === 'apigee'
    ? { ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' }
    : { fault: { faultstring: 'Invalid client identifier', detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' } } };
}
