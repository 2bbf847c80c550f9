import type { KeyObject } from 'node:crypto';
import { DEFAULT_SIGNING_ALG, loadSigningKey, SIGNING_ALGS, type SigningAlg } from '@finauth/fapi2';
import { fail, pass, skip, type Check } from '../Check.js';
import { rawField, resolvedField } from '../providerFields.js';

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (d.modulusLength) return `${key.asymmetricKeyType?.toUpperCase()} ${d.modulusLength}-bit key`;
  if (d.namedCurve) return `EC key on ${d.namedCurve}`;
  return `${key.asymmetricKeyType ?? 'unknown'} key`;
}

export const signingKeyFit: Check = {
  name: 'signing key fits the alg',
  run(provider) {
    if (provider.raw['strategy'] !== 'fapi2' || rawField(provider, 'clientAuth.method') !== 'private_key_jwt') return skip('no private_key_jwt client authentication');
    const alg = (rawField(provider, 'clientAuth.alg') ?? DEFAULT_SIGNING_ALG) as SigningAlg;
    if (!SIGNING_ALGS.includes(alg)) return fail(`clientAuth.alg "${String(alg).slice(0, 20)}" is not one of ${SIGNING_ALGS.join(', ')}`, 'FAPI 2.0 allows PS256, ES256 and EdDSA only');
    const written = rawField(provider, 'clientAuth.signingKey');
    const input = typeof written === 'object' && written !== null ? (written as Record<string, unknown>) : resolvedField(provider, 'clientAuth.signingKey');
    if (input === undefined) return skip('no signing key to inspect (a Signer, or an unreadable reference)');
    const loaded = loadSigningKey(input, alg);
    if (!loaded.key) return fail(loaded.issues.map((i) => `${i.path} ${i.message}`).join('; '), `give a PKCS#8 PEM or a JWK private key that fits ${alg}`);
    return pass(`${describeKey(loaded.key.key)}, fits ${alg}`);
  },
};
