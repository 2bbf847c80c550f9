import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * Microsoft Entra ID, certificate credential. Current docs: `alg` PS256, `typ` JWT, header
 * `x5t#S256` (base64url SHA-256 of the certificate DER), `aud` the v2.0 token endpoint
 * (`https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`), iss = sub = app id. Older docs
 * used RS256 + `x5t` (SHA-1): set `clientAuth.alg` and `clientAuth.headerKeys` for those.
 * "Entra ID does not currently place restrictions on exp": no cap.
 */
export const entra: Oauth2Profile = {
  name: 'entra',
  summary: 'Microsoft Entra ID (Azure AD) v2.0, certificate credential or secret',
  sources: [
    'https://learn.microsoft.com/entra/identity-platform/certificate-credentials',
    'https://learn.microsoft.com/previous-versions/azure/active-directory/develop/certificate-credentials',
    'https://docs.azure.cn/entra/identity-platform/certificate-credentials',
  ],
  methods: ['private_key_jwt', 'client_secret_post', 'client_secret_basic'],
  algs: ['PS256', 'RS256'],
  audience: 'token_endpoint',
  headerKeys: ['x5t#S256'],
  typ: 'JWT',
};
