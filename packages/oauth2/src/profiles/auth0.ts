import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * Auth0. `aud` is the tenant URL with a trailing slash (`https://{tenant}.auth0.com/`, or the
 * custom domain); assertions live at most 5 minutes (1 minute recommended); the client
 * credentials grant needs the `audience` form parameter (the API identifier).
 */
export const auth0: Oauth2Profile = {
  name: 'auth0',
  summary: 'Auth0 tenants (private_key_jwt, a secret, or mTLS)',
  sources: [
    'https://auth0.com/docs/ja-jp/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt',
    'https://raw.githubusercontent.com/api-evangelist/auth0/refs/heads/main/json-schema/auth0-clientauthenticationmethod-schema.json',
    'https://github.com/canton-foundation/canton-dev-fund/issues/554',
  ],
  methods: ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth'],
  audience: 'issuer_with_slash',
  maxLifetimeSeconds: 300,
  headerKeys: ['kid'],
  requiredParams: ['audience'],
};
