import { sign, verify, createPublicKey } from 'node:crypto';
import { loadRsaKey } from '@finauth/snap-bi';
import { fail, pass, skip, type Check } from '../Check.js';
import { rawField, resolvedField } from '../providerFields.js';

/**
 * SNAP BI: the `privateKey` parses as an RSA key of at least 2048 bits and makes a SHA256withRSA
 * signature that its own public key verifies (what the bank will do with the registered key).
 */
export const snapSigningKey: Check = {
  name: 'SNAP BI signing key',
  run(provider) {
    if (provider.raw['strategy'] !== 'snap_bi') return skip('not a SNAP BI provider');
    if (rawField(provider, 'signer') !== undefined) return skip('a programmatic signer (HSM/KMS): checked by the live token only');
    const pem = resolvedField(provider, 'privateKey');
    if (pem === undefined) return skip('no privateKey to inspect (see the references check)');
    const loaded = loadRsaKey(pem, resolvedField(provider, 'privateKeyPassphrase'), undefined);
    if (!loaded.key) return fail(loaded.issues.map((i) => `${i.path} ${i.message}`).join('; '), 'give the RSA private key (PKCS#8 or PKCS#1 PEM, 2048 bits or more) whose public key the bank registered');
    const key = loaded.key.key;
    const probe = Buffer.from('finauth doctor|2026-01-01T00:00:00+07:00');
    const ok = verify('sha256', probe, createPublicKey(key), sign('sha256', probe, key));
    if (!ok) return fail('the key does not verify its own SHA256withRSA signature', 'regenerate the key pair and register the new public key at the bank');
    return pass(`RSA ${key.asymmetricKeyDetails?.modulusLength ?? '?'}-bit key, SHA256withRSA signature verified with its public key`);
  },
};
