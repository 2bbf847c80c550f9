import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * UK Open Banking (OBIE security profile, FAPI 1 Advanced), as Ozone-hosted ASPSPs run it: the
 * token endpoint is mTLS-secured; `private_key_jwt` or `tls_client_auth` (client secret over
 * mTLS also exists); "for private_key_jwt - the aud claim is the url of the token endpoint";
 * PS256 or ES256, never RS256 (FAPI 1 §8.6).
 */
export const obUk: Oauth2Profile = {
  name: 'ob-uk',
  summary: 'UK Open Banking ASPSPs (OBIE / FAPI 1 Advanced, Ozone-hosted banks)',
  sources: [
    'https://github.com/stripe/open-banking-v2-docs',
    'https://github.com/clearbank/ozoneapi-dev-ui-portal',
    'https://pingidentity.com/en/resources/blog/post/open-banking-tpp-client-authentication-with-ping-identity.html',
    'FAPI 1.0 Advanced (openid-financial-api-part-2-1_0) §5.2.2-14, §8.6',
  ],
  methods: ['private_key_jwt', 'tls_client_auth', 'client_secret_basic', 'client_secret_post'],
  algs: ['PS256', 'ES256'],
  audience: 'token_endpoint',
  headerKeys: ['kid'],
  mtls: true,
  interactionId: true,
};
