import { ConfigError, type ConfigIssue, type StrategyFactory } from '@finauth/core';
import { loadRsaKey } from './loadRsaKey.js';
import { SnapBiConfig } from './SnapBiConfig.js';
import { SnapBiStrategy } from './SnapBiStrategy.js';
import { localRsaSigner, type SnapSigner } from './SnapSigner.js';
import { DEFAULT_TIMESTAMP_OFFSET } from './snapTimestamp.js';

export const SNAP_BI = 'snap_bi';

/** Headers the strategy sets for every attempt: `headers` cannot replace them. */
const RESERVED_HEADERS = new Set(['x-client-key', 'x-timestamp', 'x-signature', 'content-type', 'content-length', 'authorization', 'host']);

/**
 * Checks what decorators cannot see (the key once resolved, the choice of key or signer, reserved
 * headers), parses the key once, and builds the strategy. Paths are relative to the provider.
 */
export function createSnapBiFactory(signers: Readonly<Record<string, SnapSigner>> = {}): StrategyFactory<SnapBiConfig> {
  return {
    kind: SNAP_BI,
    configClass: SnapBiConfig,
    create(config, context) {
      const issues: ConfigIssue[] = [];
      const secrets: string[] = [];
      if (config.tls?.key) secrets.push(config.tls.key);
      if (config.tls?.passphrase) secrets.push(config.tls.passphrase);
      if (config.privateKeyPassphrase) secrets.push(config.privateKeyPassphrase);

      let sign: SnapSigner | undefined;
      let signerLabel = 'private_key';
      if (config.privateKey !== undefined && config.signer !== undefined) {
        issues.push({ path: 'signer', message: 'give privateKey or signer, not both' });
      } else if (config.signer !== undefined) {
        signerLabel = `signer:${config.signer}`;
        sign = Object.hasOwn(signers, config.signer) ? signers[config.signer] : undefined;
        if (!sign) {
          const known = Object.keys(signers);
          issues.push({ path: 'signer', message: `no signer named "${config.signer}" was given to snapBi({ signers })${known.length ? ` (known: ${known.join(', ')})` : ''}` });
        }
      } else if (config.privateKey !== undefined) {
        const loaded = loadRsaKey(config.privateKey, config.privateKeyPassphrase, context.material);
        issues.push(...loaded.issues);
        if (loaded.key) {
          secrets.push(...loaded.key.secretParts);
          sign = localRsaSigner(loaded.key.key);
        }
      } else {
        issues.push({ path: 'privateKey', message: 'is required (or signer: the name of a signer given to snapBi({ signers }))' });
      }

      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(config.headers ?? {})) {
        const lower = name.toLowerCase();
        if (RESERVED_HEADERS.has(lower)) issues.push({ path: `headers.${name}`, message: 'is set by the strategy for every attempt and cannot be given' });
        else headers[lower] = value;
      }

      if (issues.length > 0 || !sign) throw new ConfigError(issues, { providerId: config.id });
      return new SnapBiStrategy({
        tokenEndpoint: new URL(config.tokenEndpoint).href,
        clientKey: config.clientKey,
        sign,
        signerLabel,
        timestampOffset: config.timestampOffset ?? DEFAULT_TIMESTAMP_OFFSET,
        timestampPrecision: config.timestampPrecision ?? 'seconds',
        headers,
        secrets: Object.freeze(secrets),
      });
    },
  };
}

/** The factory with no programmatic signers: providers give `privateKey`. */
export const snapBiFactory: StrategyFactory<SnapBiConfig> = createSnapBiFactory();
