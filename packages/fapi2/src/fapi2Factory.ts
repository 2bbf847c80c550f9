import { randomUUID } from 'node:crypto';
import { ConfigError, discover, DiscoveryCache, type ConfigIssue, type StrategyContext, type StrategyFactory } from '@finauth/core';
import { createDpop, DpopBinding, PrivateKeyJwt, resolveSigner, TlsClientAuth, warnIfNotAdvertised, type ClientAuthentication } from '@finauth/client-auth';
import { DEFAULT_SIGNING_ALG, SIGNING_ALGS } from './config/algorithms.js';
import { Fapi2Config } from './config/Fapi2Config.js';
import { Fapi2Strategy } from './Fapi2Strategy.js';
import { buildFapiHeaders, INTERACTION_ID_HEADER, PROVIDER_HEADER_PATHS, type FapiHeaderValues } from './headers/fapiHeaders.js';
import { FAPI2_TLS_POLICY } from './tlsPolicy.js';

export const FAPI2 = 'fapi2';

/**
 * Checks what decorators cannot (the key fits its alg, settings that only apply to one method, the
 * header values) and builds the strategy. Synchronous: createFinauth throws the ConfigError itself.
 * Paths are relative to the provider.
 */
export const fapi2Factory: StrategyFactory<Fapi2Config> = {
  kind: FAPI2,
  configClass: Fapi2Config,
  tlsPolicy: () => FAPI2_TLS_POLICY,
  create(config: Fapi2Config, context: StrategyContext): Fapi2Strategy {
    const issues: ConfigIssue[] = [];
    const { clientAuth } = config;
    const secrets: string[] = [];
    if (config.tls?.key) secrets.push(config.tls.key);
    if (config.tls?.passphrase) secrets.push(config.tls.passphrase);
    if (/[\u0000-\u001f\u007f]/.test(config.clientId)) issues.push({ path: 'clientId', message: 'contains control characters' });

    let auth: ClientAuthentication | undefined;
    let keyIdentity = '';
    let closeSigner: (() => Promise<void>) | undefined;
    if (clientAuth.method === 'tls_client_auth') {
      for (const field of ['signingKey', 'signer', 'alg', 'kid', 'audience'] as const) {
        if (clientAuth[field] !== undefined) issues.push({ path: `clientAuth.${field}`, message: 'is not used with tls_client_auth (the client certificate proves identity): remove it' });
      }
      auth = new TlsClientAuth();
    } else {
      const built = privateKeyJwt(config, issues, secrets, context);
      if (built) {
        auth = built.auth;
        keyIdentity = `${built.alg}:${built.kid ?? ''}`;
        closeSigner = built.close;
      }
    }

    const prover = createDpop(config.dpop, { nowSeconds: () => Math.floor(context.clock.now() / 1000), material: context.material }, issues);
    const dpop = prover ? new DpopBinding(prover) : undefined;

    const fapiHeaders: FapiHeaderValues = { ...config.fapiHeaders };
    const providerHeaders = buildFapiHeaders(fapiHeaders, PROVIDER_HEADER_PATHS);
    issues.push(...providerHeaders.issues);
    if (issues.length > 0 || !auth) {
      // A signer built from the config (an HSM session) must not outlive a provider that is not created.
      void closeSigner?.();
      throw new ConfigError(issues, { providerId: config.id });
    }

    const tokenEndpoint = config.tokenEndpoint === undefined ? undefined : new URL(config.tokenEndpoint).href;
    const discovery = tokenEndpoint === undefined ? discoveryFor(config, context, auth.method) : undefined;
    return new Fapi2Strategy(
      {
        issuer: config.issuer,
        clientId: config.clientId,
        ...(tokenEndpoint !== undefined ? { tokenEndpoint } : {}),
        ...(discovery ? { discovery } : {}),
        auth,
        fapiHeaders,
        providerHeaders: providerHeaders.headers,
        identity: [config.issuer, tokenEndpoint ?? '', config.clientId, auth.method, keyIdentity, ...(dpop ? [dpop.identity] : [])],
        secrets,
        ...(dpop ? { dpop } : {}),
        ...(closeSigner ? { closeSigner } : {}),
      },
      context,
    );
  },
};

function privateKeyJwt(config: Fapi2Config, issues: ConfigIssue[], secrets: string[], context: StrategyContext): { auth: PrivateKeyJwt; alg: string; kid: string | undefined; close?: () => Promise<void> } | undefined {
  const { clientAuth } = config;
  // `context`: a signer declared by type (`"signer": { "type": "pkcs11", ... }`) is built by the factory registered for it.
  const resolved = resolveSigner(clientAuth, { allowedAlgs: SIGNING_ALGS, defaultAlg: DEFAULT_SIGNING_ALG, allowedBy: 'FAPI 2.0', path: 'clientAuth', material: context.material, context }, issues);
  if (!resolved) return undefined;
  secrets.push(...resolved.secrets);
  const { signer, kid } = resolved;
  // `auto` (the default): the issuer first (FAPI 2.0 SP §5.3.2.1), then the URL posted to, then the non-alias token endpoint.
  const audience = clientAuth.audience ?? 'auto';
  return { auth: new PrivateKeyJwt(signer, { clientId: config.clientId, issuer: config.issuer, audience, kid, path: 'clientAuth.audience' }), alg: signer.alg, kid, ...(resolved.close ? { close: resolved.close } : {}) };
}

function discoveryFor(config: Fapi2Config, context: StrategyContext, method: string): DiscoveryCache {
  let warned = false;
  return new DiscoveryCache(context.clock, async (signal, transport) => {
    // Seed 000: discovery is a FAPI request like any other, with its own interaction id.
    const result = await discover(transport ?? context.transport, config.issuer, { providerId: context.providerId, headers: () => ({ [INTERACTION_ID_HEADER]: randomUUID() }), ...(signal ? { signal } : {}) });
    const { metadata } = result;
    if (!warned) {
      warned = true;
      const signerAlg = config.clientAuth.signer?.['alg'];
      warnIfNotAdvertised(metadata, { method, alg: config.clientAuth.alg ?? (typeof signerAlg === 'string' ? signerAlg : undefined) ?? DEFAULT_SIGNING_ALG }, context);
    }
    context.logger.debug('discovered the token endpoint', { providerId: context.providerId, url: result.url, tokenEndpoint: metadata.tokenEndpoint, viaMtlsAlias: metadata.viaMtlsAlias });
    return result;
  });
}
