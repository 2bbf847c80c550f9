import { request } from 'node:https';
import { createDpop, DpopConfig } from '@finauth/client-auth';
import type { ConfigIssue } from '@finauth/core';
import { EmbeddedJWK, jwtVerify } from 'jose';
import { describeError } from '../../describeError.js';
import { fail, pass, skip, warn, type Check, type ProviderUnderCheck } from '../Check.js';
import { rawField, resolvedField, resolvedTls, timeoutOf } from '../providerFields.js';

/**
 * DPoP providers (RFC 9449): the key loads and signs proofs an independent verifier accepts, and
 * the server's discovery document advertises the proof algorithm (`dpop_signing_alg_values_supported`,
 * RFC 9449 §5.1). The key is never printed; its RFC 7638 thumbprint is.
 */
export const dpopKey: Check = {
  name: 'DPoP key',
  async run(provider) {
    const setting = rawField(provider, 'dpop');
    if (setting === undefined || setting === false) return skip('DPoP is not configured');
    const issues: ConfigIssue[] = [];
    const config = setting === true ? true : Object.assign(new DpopConfig(), setting as object, { key: resolvedField(provider, 'dpop.key') ?? (setting as { key?: unknown }).key });
    const prover = createDpop(config as boolean | DpopConfig, { nowSeconds: () => Math.floor(Date.now() / 1000) }, issues);
    if (!prover || issues.length > 0) return fail(issues.map((i) => `${i.path} ${i.message}`).join('; ') || 'no DPoP key', 'give dpop.key as a PKCS#8 PEM or a private JWK that fits dpop.alg (ES256 by default), or "dpop": true for a generated key');
    let alg: string;
    try {
      const { protectedHeader } = await jwtVerify(await prover.proof('POST', 'https://doctor.invalid/token'), EmbeddedJWK, { typ: 'dpop+jwt' });
      alg = protectedHeader.alg;
    } catch (error) {
      return fail(`a test proof does not verify: ${describeError(error)}`, 'the signer must produce JWS signatures for its publicJwk()');
    }
    const detail = `${setting === true ? 'generated' : 'configured'} ${alg} key (thumbprint ${prover.knownJkt ?? 'from the signer'}), test proof verifies`;
    const issuer = rawField(provider, 'issuer');
    if (typeof issuer !== 'string') return pass(detail);
    const advertised = await dpopAlgsOf(issuer, provider).catch(() => undefined);
    if (advertised === undefined) return pass(`${detail}; the discovery document could not be read (see the discovery check)`);
    if (advertised.length === 0) return warn(`${detail}; the server advertises no dpop_signing_alg_values_supported`, 'the server may not support DPoP: its tokens would come back as Bearer');
    if (!advertised.includes(alg)) return warn(`${detail}; the server advertises ${advertised.join(', ')}, not ${alg}`, `set dpop.alg to one of ${advertised.join(', ')} (with a key of that type)`);
    return pass(`${detail}; the server advertises ${alg}`);
  },
};

/** `dpop_signing_alg_values_supported` of the issuer's OpenID configuration ([] when absent). */
function dpopAlgsOf(issuer: string, provider: ProviderUnderCheck): Promise<string[]> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...resolvedTls(provider), timeout: timeoutOf(provider), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c.length + body.length < 1_000_000 ? c : ''));
      res.on('end', () => {
        try {
          const algs = (JSON.parse(body) as Record<string, unknown>)['dpop_signing_alg_values_supported'];
          resolve(Array.isArray(algs) ? algs.filter((a): a is string => typeof a === 'string') : []);
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', reject).end();
  });
}
