import { ConfigError, type ConfigIssue } from '@finauth/core';
import { DEFAULT_SESSIONS, type Pkcs11SignerConfig } from './config/Pkcs11SignerConfig.js';
import { findPrivateKey, type KeySelector } from './pkcs11/findKey.js';
import { leaseToken, type TokenLease } from './pkcs11/sharedTokens.js';
import { TokenOpenError } from './pkcs11/TokenSessions.js';
import { PKCS11_ALGS, type Pkcs11Alg } from './signing/algorithms.js';
import { jwkThumbprint, keyProfile, misfit, type KeyKind } from './signing/keyProfile.js';
import { signRecipe } from './signing/mechanisms.js';
import { Pkcs11Signer } from './signing/Pkcs11Signer.js';

export interface OpenPkcs11SignerOptions {
  /** The JWS algorithm the provider asks for; when absent, the one that fits the key (RSA → PS256, P-256 → ES256, Ed25519 → EdDSA). */
  readonly alg?: string | undefined;
  /** The kid the bank registered; when absent, the RFC 7638 thumbprint of the key's public half. */
  readonly kid?: string | undefined;
  readonly providerId?: string | undefined;
}

const DEFAULT_ALG: Record<KeyKind['type'], Pkcs11Alg | undefined> = { rsa: 'PS256', 'ec-p256': 'ES256', ed25519: 'EdDSA', other: undefined };

/**
 * Opens the token, logs in, finds the key and checks it can sign `alg`, synchronously: every
 * problem is a ConfigError whose paths name the signer's fields (`pin`, `keyLabel`, ...), thrown at
 * createFinauth, not at the first token request. No message holds the PIN.
 */
export function openPkcs11Signer(config: Pkcs11SignerConfig, options: OpenPkcs11SignerOptions = {}): Pkcs11Signer {
  const fail = (issues: ConfigIssue[]): never => {
    throw new ConfigError(issues, { providerId: options.providerId });
  };
  const issues: ConfigIssue[] = [];
  if ((config.tokenLabel === undefined) === (config.tokenSerial === undefined)) issues.push({ path: 'tokenLabel', message: 'give exactly one of tokenLabel and tokenSerial' });
  if ((config.keyLabel === undefined) === (config.keyId === undefined)) issues.push({ path: 'keyLabel', message: 'give exactly one of keyLabel and keyId' });
  if (options.alg !== undefined && !(PKCS11_ALGS as readonly string[]).includes(options.alg)) issues.push({ path: 'alg', message: `an HSM key signs ${PKCS11_ALGS.join(', ')}, not ${options.alg.slice(0, 20)}` });
  if (issues.length > 0) fail(issues);

  const keyField = config.keyLabel !== undefined ? 'keyLabel' : 'keyId';
  const tokenField = config.tokenLabel !== undefined ? 'tokenLabel' : 'tokenSerial';
  const key: KeySelector = config.keyLabel !== undefined ? { keyLabel: config.keyLabel } : { keyId: config.keyId!.toLowerCase() };
  let lease: TokenLease;
  try {
    lease = leaseToken(config.module, { tokenLabel: config.tokenLabel, tokenSerial: config.tokenSerial }, config.pin, config.sessions ?? DEFAULT_SESSIONS);
  } catch (error) {
    if (TokenOpenError.is(error)) return fail([{ path: error.field === 'pin' ? 'pin' : tokenField, message: error.message }]);
    return fail([{ path: 'module', message: error instanceof Error ? error.message : 'cannot load the module' }]);
  }

  try {
    const sessions = lease.sessions;
    const opened = sessions.withSessionSync((session) => {
      const found = findPrivateKey(sessions.api, session, key, sessions.label);
      if ('problem' in found) return fail([{ path: keyField, message: found.problem }]);
      const profile = keyProfile(sessions.api, session, found.handle);
      const alg = (options.alg as Pkcs11Alg | undefined) ?? DEFAULT_ALG[profile.kind.type];
      if (!alg) return fail([{ path: keyField, message: `is ${profile.kind.type === 'other' ? profile.kind.description : 'a key'}; an HSM signer needs RSA (PS256), EC P-256 (ES256) or Ed25519 (EdDSA)` }]);
      const mismatch = misfit(profile.kind, alg);
      if (mismatch) return fail([{ path: keyField, message: mismatch }]);
      if (!profile.canSign) return fail([{ path: keyField, message: 'is a key the token does not allow to sign (CKA_SIGN is false)' }]);
      const offered = new Set(sessions.api.C_GetMechanismList(sessions.slotId));
      const modulusBytes = profile.kind.type === 'rsa' ? Math.ceil(profile.kind.bits / 8) : 0;
      const recipe = signRecipe(alg, offered, modulusBytes);
      if ('problem' in recipe) return fail([{ path: keyField, message: recipe.problem }]);
      if (options.kid === undefined && !profile.publicJwk) return fail([{ path: 'kid', message: `is required: token "${sessions.label}" holds no public key or certificate for this key, so no RFC 7638 thumbprint can be computed` }]);
      const kid = options.kid ?? jwkThumbprint(profile.publicJwk!);
      return { alg, kid, handle: found.handle, recipe, publicJwk: profile.publicJwk, certificate: profile.certificate };
    });
    return new Pkcs11Signer(lease, { alg: opened.alg, kid: opened.kid, key, keyHandle: opened.handle, recipe: opened.recipe, publicJwk: opened.publicJwk, certificate: opened.certificate, providerId: options.providerId });
  } catch (error) {
    void lease.release();
    if (ConfigError.is(error)) throw error;
    return fail([{ path: tokenField, message: `cannot use the token (${error instanceof Error ? error.message.split('\n')[0]!.slice(0, 160) : 'unknown error'})` }]);
  }
}

