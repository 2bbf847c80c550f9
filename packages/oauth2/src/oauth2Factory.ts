import { ConfigError, discover, DiscoveryCache, type ConfigIssue, type StrategyContext, type StrategyFactory, type TlsPolicy } from '@finauth/core';
import { createDpop, DpopBinding, warnIfNotAdvertised } from '@finauth/client-auth';
import { buildClientAuthentication } from './buildClientAuthentication.js';
import { Oauth2Config } from './config/Oauth2Config.js';
import { Oauth2Strategy } from './Oauth2Strategy.js';
import { PROFILES, type Oauth2Profile } from './profiles/index.js';

export const OAUTH2 = 'oauth2';

/** TLS 1.2 or later with a client certificate: the mTLS profiles and the mTLS client authentication methods. */
const MTLS_POLICY: TlsPolicy = Object.freeze({ minVersion: 'TLSv1.2', requireClientCertificate: true });

function profileOf(config: Oauth2Config): Oauth2Profile | undefined {
  return config.profile === undefined ? undefined : PROFILES[config.profile];
}

/**
 * Checks what decorators cannot (method and alg allowed by the profile, the key fits, required
 * parameters present) and builds the strategy. Paths are relative to the provider.
 */
export const oauth2Factory: StrategyFactory<Oauth2Config> = {
  kind: OAUTH2,
  configClass: Oauth2Config,
  tlsPolicy(config) {
    const method = config.clientAuth?.method;
    return profileOf(config)?.mtls || method === 'tls_client_auth' || method === 'self_signed_tls_client_auth' ? MTLS_POLICY : {};
  },
  create(config: Oauth2Config, context: StrategyContext): Oauth2Strategy {
    const issues: ConfigIssue[] = [];
    const profile = profileOf(config);
    const secrets: string[] = [];
    if (config.tls?.key) secrets.push(config.tls.key);
    if (config.tls?.passphrase) secrets.push(config.tls.passphrase);
    if (/[\u0000-\u001f\u007f]/.test(config.clientId)) issues.push({ path: 'clientId', message: 'contains control characters' });
    if (profile && !profile.methods.includes(config.clientAuth.method)) {
      issues.push({ path: 'clientAuth.method', message: `is ${config.clientAuth.method}; profile ${profile.name} accepts ${profile.methods.join(', ')} (${profile.sources[0]})` });
    }
    for (const name of profile?.requiredParams ?? []) {
      if (config.extraParams?.[name] === undefined) issues.push({ path: `extraParams.${name}`, message: `is required by profile ${profile!.name} (${profile!.sources[0]})` });
    }
    const built = buildClientAuthentication(config, profile, issues, secrets, context);
    const prover = createDpop(config.dpop, { nowSeconds: () => Math.floor(context.clock.now() / 1000), material: context.material }, issues);
    const dpop = prover ? new DpopBinding(prover) : undefined;
    if (issues.length > 0 || !built) {
      // A signer built from the config (an HSM session, a login) must not outlive a provider that is not created.
      void built?.closeSigner?.();
      throw new ConfigError(issues, { providerId: config.id });
    }

    const params: [string, string][] = Object.entries(config.extraParams ?? {});
    for (const r of typeof config.resource === 'string' ? [config.resource] : (config.resource ?? [])) params.push(['resource', r]);
    const tokenEndpoint = config.tokenEndpoint === undefined ? undefined : new URL(config.tokenEndpoint).href;
    const mtls = Boolean(config.tls?.cert && config.tls.key);
    const discovery = tokenEndpoint === undefined ? discoveryFor(config, context, built.auth.method) : undefined;
    return new Oauth2Strategy({
      clientId: config.clientId,
      tokenEndpoint,
      discovery,
      mtls,
      auth: built.auth,
      params,
      interactionId: config.interactionId ?? profile?.interactionId ?? false,
      identity: [config.issuer ?? '', tokenEndpoint ?? '', config.clientId, built.auth.method, built.keyIdentity, config.profile ?? '', JSON.stringify(params), ...(dpop ? [dpop.identity] : [])],
      secrets: [...new Set(secrets)],
      dpop,
      closeSigner: built.closeSigner,
    });
  },
};

function discoveryFor(config: Oauth2Config, context: StrategyContext, method: string): DiscoveryCache {
  let warned = false;
  return new DiscoveryCache(context.clock, async (signal, transport) => {
    const result = await discover(transport ?? context.transport, config.issuer!, { providerId: context.providerId, ...(signal ? { signal } : {}) });
    if (!warned) {
      warned = true;
      const signerAlg = config.clientAuth.signer?.['alg'];
      warnIfNotAdvertised(result.metadata, { method, alg: config.clientAuth.alg ?? (typeof signerAlg === 'string' ? signerAlg : undefined) }, context);
    }
    return result;
  });
}
