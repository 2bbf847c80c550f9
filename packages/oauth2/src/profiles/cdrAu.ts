import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * Australia's Consumer Data Right: recipients authenticate with `private_key_jwt` only ("PKI
 * Mutual TLS OAuth Client Authentication SHALL NOT be supported"); header `{alg: PS256, typ: JWT,
 * kid}`; `aud` should be the issuer, and the holder must also accept the token endpoint or the
 * invoked URL; mTLS is the holder-of-key mechanism.
 */
export const cdrAu: Oauth2Profile = {
  name: 'cdr-au',
  summary: 'Australian CDR data holders and the CDR Register',
  sources: [
    'ConsumerDataStandardsAustralia/standards slate/source/includes/security/_client_authentication.md',
    'https://consumerdataright.atlassian.net/wiki/spaces/DP/pages/30081139/Token+Endpoint',
  ],
  methods: ['private_key_jwt'],
  algs: ['PS256', 'ES256'],
  audience: 'issuer',
  headerKeys: ['kid'],
  typ: 'JWT',
  mtls: true,
};
