import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * Okta service apps. `aud` is "the full URL of the resource": the org's `/oauth2/v1/token`;
 * `exp` at most one hour ahead; iss = sub = client id. Okta's API Services apps require DPoP by
 * default (the first token call answers 400 `use_dpop_nonce`): see the DPoP option.
 */
export const okta: Oauth2Profile = {
  name: 'okta',
  summary: 'Okta service apps (private_key_jwt, client_secret_jwt or a secret)',
  sources: ['https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/create-sign-jwt/', 'https://developer.okta.com/docs/guides/dpop/main/'],
  methods: ['private_key_jwt', 'client_secret_jwt', 'client_secret_basic', 'client_secret_post'],
  audience: 'token_endpoint',
  maxLifetimeSeconds: 3600,
  headerKeys: ['kid'],
};
