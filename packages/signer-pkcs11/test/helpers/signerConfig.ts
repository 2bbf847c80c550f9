import { validateConfig } from '@finauth/core';
import { Pkcs11SignerConfig } from '../../src/index.js';
import { SOFTHSM_MODULE, TOKEN_LABEL, type SoftHsm } from './softHsm.js';

/** A signer config as a user writes it in JSON, PIN as a literal (tests), validated like core does. */
export function signerJson(hsm: SoftHsm, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'pkcs11', module: SOFTHSM_MODULE, tokenLabel: TOKEN_LABEL, pin: hsm.pin, keyLabel: hsm.keys.rsa.label, ...overrides };
}

export function signerConfig(hsm: SoftHsm, overrides: Record<string, unknown> = {}): Pkcs11SignerConfig {
  const json = Object.fromEntries(Object.entries(signerJson(hsm, overrides)).filter(([, v]) => v !== undefined));
  const result = validateConfig(Pkcs11SignerConfig, json);
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.issues)}`);
  return result.value;
}
