import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * PayNet OFP (Open Finance Malaysia) exactly as its own "Client Authentication Methods" page
 * documents it: `private_key_jwt` (recommended) or `tls_client_auth`; header `{alg: PS256, kid}`;
 * iss = sub = client_id; `aud` = the token endpoint URL ("e.g. from well-known"); `exp`
 * "typically iat + 600"; mTLS on every request; `x-fapi-interaction-id` on the token request.
 * (OFP also claims FAPI 2.0, whose `aud` is the issuer: the `fapi2` strategy follows that reading.)
 */
export const paynetOfp: Oauth2Profile = {
  name: 'paynet-ofp',
  summary: "PayNet OFP (Open Finance Malaysia), per PayNet's Client Authentication Methods page",
  sources: [
    'https://developer.sandbox1.prod.inet.paynet.my/en-gb/docs/developers-guide/03-client-authentication.md',
    'https://developer.sandbox1.prod.inet.paynet.my/en-gb/docs/developers-guide/04-client-credentials-grant.md',
  ],
  methods: ['private_key_jwt', 'tls_client_auth'],
  algs: ['PS256'],
  audience: 'token_endpoint',
  lifetimeSeconds: 600,
  headerKeys: ['kid'],
  mtls: true,
  interactionId: true,
};
