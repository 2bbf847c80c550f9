import type { Sandbox } from '@finauth/sandbox';

/** One demo provider: its config, as a user would write it, and where its protected resource is. */
export interface DemoProvider {
  readonly config: Record<string, unknown> & { readonly id: string };
  readonly resourceUrl: string;
  /** Token requests the provider's server has answered so far: proves the cached path made none. */
  readonly tokenRequests: () => number;
}

/**
 * The four providers of the demo, pointing at the sandbox's servers with `file:` references to its
 * throwaway PKI: FAPI 2.0 with private_key_jwt, FAPI 2.0 with tls_client_auth, a BNP-style gateway,
 * and an Indonesian SNAP BI bank (JSON body, SHA256withRSA-signed headers).
 */
export function demoProviders(sb: Sandbox): DemoProvider[] {
  const transport = sb.pki.clients.transport;
  const mtls = { cert: `file:${transport.cert}`, key: `file:${transport.key}`, ca: `file:${sb.pki.caCert}` };
  const ofpRequests = (): number => sb.ofp.stats.tokenRequests.main + sb.ofp.stats.tokenRequests.alias;
  const signing = sb.pki.signing.ps256;
  return [
    {
      config: {
        id: 'ofp-private-key-jwt',
        strategy: 'fapi2',
        issuer: sb.ofp.issuer,
        clientId: sb.ofp.clients.ps256.clientId,
        clientAuth: { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid },
        tls: mtls,
        scope: 'accounts',
      },
      resourceUrl: sb.ofp.resourceUrl,
      tokenRequests: ofpRequests,
    },
    {
      config: {
        id: 'ofp-tls-client-auth',
        strategy: 'fapi2',
        issuer: sb.ofp.issuer,
        clientId: sb.ofp.clients.tlsClientAuth.clientId,
        clientAuth: { method: 'tls_client_auth' },
        tls: mtls,
        scope: 'accounts',
      },
      resourceUrl: sb.ofp.resourceUrl,
      tokenRequests: ofpRequests,
    },
    {
      config: {
        id: 'bnp-gateway',
        strategy: 'client_secret_basic',
        tokenEndpoint: sb.gateway.tokenEndpoint,
        clientId: sb.gateway.clientId,
        clientSecret: sb.gateway.clientSecret,
        // The gateway decodes Basic credentials without URL-decoding them (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials").
        credentialEncoding: 'raw',
        tls: { ca: `file:${sb.pki.caCert}` },
        // A plain bearer token: http() may send it to the gateway's origin only.
        resourceOrigins: [new URL(sb.gateway.helloUrl).origin],
      },
      resourceUrl: sb.gateway.helloUrl,
      tokenRequests: () => sb.gateway.stats.tokenRequests,
    },
    {
      config: {
        id: 'snap-bi-bank',
        strategy: 'snap_bi',
        tokenEndpoint: sb.snap.tokenEndpoint,
        clientKey: sb.snap.clientKey,
        // PKCS#1, as SNAP onboarding guides have partners make it (openssl genrsa -traditional).
        privateKey: `file:${sb.snap.keys.privateKey}`,
        tls: { ca: `file:${sb.pki.caCert}` },
      },
      resourceUrl: sb.snap.resourceUrl,
      tokenRequests: () => sb.snap.stats.tokenRequests,
    },
  ];
}
