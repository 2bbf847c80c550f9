import type { ClientCertName, Sandbox } from '@finauth/sandbox';

export type SandboxClient = 'ps256' | 'es256' | 'tlsClientAuth';

/**
 * A fapi2 provider config for one of the sandbox's registered clients, written the way a user
 * writes one: `file:` references to the PEMs PayNet-style onboarding hands out.
 */
export function sandboxProvider(sandbox: Sandbox, client: SandboxClient, overrides: { id?: string; cert?: ClientCertName; clientAuth?: Record<string, unknown>; tls?: Record<string, unknown>; [k: string]: unknown } = {}): Record<string, unknown> {
  const { id, cert, clientAuth, tls, ...rest } = overrides;
  const certFiles = sandbox.pki.clients[cert ?? 'transport'];
  const signing = client === 'es256' ? sandbox.pki.signing.es256 : sandbox.pki.signing.ps256;
  return {
    id: id ?? client,
    strategy: 'fapi2',
    issuer: sandbox.ofp.issuer,
    clientId: sandbox.ofp.clients[client].clientId,
    clientAuth: client === 'tlsClientAuth' ? { method: 'tls_client_auth' } : { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid, ...clientAuth },
    tls: { cert: `file:${certFiles.cert}`, key: `file:${certFiles.key}`, ca: `file:${sandbox.pki.caCert}`, ...tls },
    scope: 'accounts',
    ...rest,
  };
}
