import { createPrivateKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { ConfigIssue, StrategyContext } from '@finauth/core';
import {
  ASYMMETRIC_ALGS,
  certificateChainDer,
  certificateHeader,
  ClientSecretBasic,
  ClientSecretJwt,
  ClientSecretPost,
  formUrlEncode,
  HMAC_ALGS,
  PrivateKeyJwt,
  resolveSigner,
  TlsClientAuth,
  type CertificateHeaderMember,
  type ClientAuthentication,
  type HmacAlg,
  type JwtAssertionSettings,
} from '@finauth/client-auth';
import type { Oauth2Config } from './config/Oauth2Config.js';
import type { HeaderKeyMember, Oauth2Profile } from './profiles/Oauth2Profile.js';

export interface BuiltAuthentication {
  readonly auth: ClientAuthentication;
  /** What identifies the credential for the cache key (alg and kid; never a secret). */
  readonly keyIdentity: string;
  /** Set when the signer was built from the config (`"signer": { "type": ... }`): the provider closes it (HSM sessions, a login). */
  readonly closeSigner?: () => Promise<void>;
}

/** A client secret read with `file:` usually ends with the editor's newline, which no server expects. */
function trimmedSecret(config: Oauth2Config, issues: ConfigIssue[]): string | undefined {
  const raw = config.clientAuth.clientSecret;
  if (raw === undefined) return undefined;
  const secret = raw.replace(/\r?\n$/, '');
  if (secret.length === 0) issues.push({ path: 'clientAuth.clientSecret', message: 'is empty once resolved' });
  return secret;
}

/**
 * One ClientAuthentication for the provider's `clientAuth.method`, its profile's rules applied
 * and overridden field by field. Pushes every problem as an issue; secrets (every form they
 * travel in) go to `secrets`. `context` is the strategy's creation context: a signer declared by
 * type in the config is built by the factory registered for that type in its container.
 */
export function buildClientAuthentication(config: Oauth2Config, profile: Oauth2Profile | undefined, issues: ConfigIssue[], secrets: string[], context: StrategyContext): BuiltAuthentication | undefined {
  const { material } = context;
  const { clientAuth } = config;
  const { method } = clientAuth;
  const unused = (fields: readonly (keyof typeof clientAuth)[]): void => {
    for (const field of fields) if (clientAuth[field] !== undefined) issues.push({ path: `clientAuth.${field}`, message: `is not used with ${method}: remove it` });
  };
  const assertionFields = ['signingKey', 'signer', 'kid', 'audience', 'certificate', 'lifetimeSeconds', 'headerKeys', 'typ'] as const;

  if (method === 'tls_client_auth' || method === 'self_signed_tls_client_auth') {
    unused(['clientSecret', 'credentialEncoding', 'credentialPlacement', 'alg', ...assertionFields]);
    if (!config.tls?.cert || !config.tls.key) issues.push({ path: 'tls', message: `${method} needs the client certificate: set tls.cert and tls.key (RFC 8705 §2)` });
    return { auth: new TlsClientAuth(method), keyIdentity: '' };
  }

  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    unused(['alg', ...assertionFields, ...(method === 'client_secret_post' ? (['credentialEncoding'] as const) : (['credentialPlacement'] as const))]);
    const secret = trimmedSecret(config, issues);
    if (secret === undefined) return undefined;
    secrets.push(secret, formUrlEncode(secret), encodeURIComponent(secret));
    if (method === 'client_secret_post') return { auth: new ClientSecretPost(config.clientId, secret, clientAuth.credentialPlacement ?? 'body'), keyIdentity: '' };
    const basic = new ClientSecretBasic(config.clientId, secret, clientAuth.credentialEncoding ?? 'auto', 'clientAuth.credentialEncoding');
    secrets.push(...basic.credentials);
    return { auth: basic, keyIdentity: clientAuth.credentialEncoding ?? 'auto' };
  }

  const assertion = assertionSettings(config, profile, issues);
  if (method === 'client_secret_jwt') {
    unused(['credentialEncoding', 'credentialPlacement', 'signingKey', 'signer', 'certificate']);
    const alg = clientAuth.alg ?? 'HS256';
    if (!(HMAC_ALGS as readonly string[]).includes(alg)) issues.push({ path: 'clientAuth.alg', message: `is ${alg}; client_secret_jwt signs with ${HMAC_ALGS.join(', ')} (OIDC Core §9)` });
    const secret = trimmedSecret(config, issues);
    if (secret === undefined || !assertion) return undefined;
    secrets.push(secret, formUrlEncode(secret));
    return { auth: new ClientSecretJwt(secret, alg as HmacAlg, assertion), keyIdentity: alg };
  }

  // private_key_jwt
  unused(['clientSecret', 'credentialEncoding', 'credentialPlacement']);
  const allowed = profile?.algs ?? ASYMMETRIC_ALGS;
  const resolved = resolveSigner(clientAuth, { allowedAlgs: allowed, defaultAlg: allowed === ASYMMETRIC_ALGS ? 'PS256' : allowed[0]!, allowedBy: profile ? `profile ${profile.name}` : 'oauth2', path: 'clientAuth', material, context }, issues);
  if (!resolved) return undefined;
  if (!assertion) {
    // A signer built from the config (an HSM session) must not outlive a provider that is not created.
    void resolved.close?.();
    return undefined;
  }
  secrets.push(...resolved.secrets);
  const headerKeys = (clientAuth.headerKeys as HeaderKeyMember[] | undefined) ?? profile?.headerKeys ?? ['kid'];
  const header: Record<string, unknown> = { ...assertion.header };
  if (headerKeys.includes('kid') && resolved.kid !== undefined) header['kid'] = resolved.kid;
  return { auth: new PrivateKeyJwt(resolved.signer, { ...assertion, header }), keyIdentity: `${resolved.signer.alg}:${resolved.kid ?? ''}`, ...(resolved.close ? { closeSigner: resolved.close } : {}) };
}

/** The assertion rules: audience, lifetime (capped by the profile), `typ` and certificate header members. */
function assertionSettings(config: Oauth2Config, profile: Oauth2Profile | undefined, issues: ConfigIssue[]): JwtAssertionSettings | undefined {
  const { clientAuth } = config;
  const audience = clientAuth.audience ?? 'auto';
  if (audience === 'issuer' && config.issuer === undefined) issues.push({ path: 'clientAuth.audience', message: 'is "issuer" but no issuer is configured' });
  const lifetimeSeconds = clientAuth.lifetimeSeconds ?? profile?.lifetimeSeconds ?? Math.min(60, profile?.maxLifetimeSeconds ?? 60);
  if (profile?.maxLifetimeSeconds !== undefined && lifetimeSeconds > profile.maxLifetimeSeconds) {
    issues.push({ path: 'clientAuth.lifetimeSeconds', message: `is ${lifetimeSeconds} s; profile ${profile.name} accepts at most ${profile.maxLifetimeSeconds} s (${profile.sources[0]})` });
  }
  const header: Record<string, unknown> = {};
  const typ = clientAuth.typ ?? profile?.typ;
  if (typ) header['typ'] = typ;
  const members = ((clientAuth.headerKeys as HeaderKeyMember[] | undefined) ?? profile?.headerKeys ?? []).filter((m): m is CertificateHeaderMember => m !== 'kid');
  if (members.length > 0 && config.clientAuth.method === 'client_secret_jwt') issues.push({ path: 'clientAuth.headerKeys', message: `${members.join(', ')} name a certificate; client_secret_jwt has none` });
  else if (members.length > 0) {
    const pem = clientAuth.certificate;
    if (pem === undefined) issues.push({ path: 'clientAuth.certificate', message: `is required: the assertion header carries ${members.join(', ')}${profile ? ` (profile ${profile.name})` : ''}` });
    else {
      try {
        const chain = certificateChainDer(pem);
        if (chain.length === 0) issues.push({ path: 'clientAuth.certificate', message: 'holds no PEM certificate ("-----BEGIN CERTIFICATE-----")' });
        else {
          Object.assign(header, certificateHeader(chain, members));
          checkCertificateMatchesKey(chain[0]!, clientAuth.signingKey, issues);
        }
      } catch {
        issues.push({ path: 'clientAuth.certificate', message: 'does not parse as a PEM certificate' });
      }
    }
  }
  return { clientId: config.clientId, issuer: config.issuer, audience, profileAudience: profile?.audience, lifetimeSeconds, header, path: 'clientAuth.audience' };
}

/** The header names a certificate: it must be the signing key's, or the server checks the signature against another key. */
function checkCertificateMatchesKey(leafDer: Buffer, signingKey: string | Record<string, unknown> | undefined, issues: ConfigIssue[]): void {
  if (signingKey === undefined) return; // a signer: its certificate is the caller's business
  let key: KeyObject;
  try {
    key = typeof signingKey === 'string' ? createPrivateKey(signingKey) : createPrivateKey({ key: signingKey as JsonWebKey, format: 'jwk' });
  } catch {
    return; // reported against signingKey
  }
  if (!new X509Certificate(leafDer).checkPrivateKey(key)) issues.push({ path: 'clientAuth.certificate', message: 'is not the certificate of clientAuth.signingKey (its public key differs)' });
}
