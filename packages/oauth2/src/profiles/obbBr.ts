import type { Oauth2Profile } from './Oauth2Profile.js';

/**
 * Brazil Open Finance (FAPI 1 Advanced + the OFB profile): `private_key_jwt` or `tls_client_auth`,
 * PS256 only, `jti` unique per client for 24 h (finauth's are random UUIDs), mTLS on every call
 * (ICP-Brasil certificates), and the AS "shall deny all requests without x-fapi-interaction-id".
 * The assertion audience is not fixed by the profile: `auto`.
 */
export const obbBr: Oauth2Profile = {
  name: 'obb-br',
  summary: 'Brazil Open Finance (Open Banking Brasil) authorization servers',
  sources: [
    'OpenBanking-Brasil/specs-seguranca open-banking-brasil-financial-api-1_ID3.md (AS items 13, 23; client items 8, 11)',
    'OpenBanking-Brasil/specs-seguranca open-banking-brasil-dynamic-client-registration-1_ID3.md item 12',
  ],
  methods: ['private_key_jwt', 'tls_client_auth'],
  algs: ['PS256'],
  headerKeys: ['kid'],
  mtls: true,
  interactionId: true,
};
