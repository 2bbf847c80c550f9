import { randomUUID, X509Certificate } from 'node:crypto';
import { certificateChainDer, createConfiguredSigner, isSignerConfig, jwkThumbprintOf, type ManagedSigner } from '@finauth/client-auth';
import { defaultSecretResolver, silentLogger, type ConfigIssue } from '@finauth/core';
import { resolveSecretRefs } from '@finauth/core/internal';
import { Container } from 'inversify';
import { compactVerify, importJWK, type JWK } from 'jose';
import { describeError } from '../../describeError.js';
import { fail, pass, skip, warn, type Check, type CheckResult, type ProviderUnderCheck } from '../Check.js';
import { rawField, resolvedField } from '../providerFields.js';

const SIGNER_PATH = 'clientAuth.signer';

/**
 * A signer the config declares by type (`"signer": { "type": ..., "pin": "env:..." }`, an HSM or
 * KMS key): it opens (the key is found, the PIN from its reference accepted), it signs a test JWS
 * that jose verifies with the signer's own public key, and that public key is the one the bank
 * knows: `kid` equal to its RFC 7638 thumbprint, or a certificate (tls.cert, clientAuth.certificate,
 * the certificate the key store holds beside the key) carrying it. The signer is built by the
 * factory the config's "strategies" modules register (client-auth's SIGNER_FACTORY), exactly as
 * createFinauth builds it, and closed before the check ends. Nothing of the config is printed.
 *
 * Verdicts follow what a bank checks. The bank selects the registered key by the header's `kid`
 * and verifies the signature with it; a `kid` is the bank's name for the key (often not its
 * thumbprint), so a `kid` that is not the thumbprint, with no certificate to tie the key to, is a
 * WARN (doctor cannot tell; the live token can). A certificate the assertion names
 * (clientAuth.certificate: `x5t#S256`, `x5c`) is what the bank verifies with: another key in it is
 * a certain rejection, a FAIL. A certificate in the key store that holds another key is a WARN:
 * the token is inconsistent, and a bank that registered that certificate will refuse the key.
 */
export const configuredSigner: Check = {
  name: 'signer',
  async run(provider) {
    const raw = rawField(provider, SIGNER_PATH);
    if (!isSignerConfig(raw)) return skip('no signer declared in the config (clientAuth.signer: { "type": ... })');
    const container = new Container();
    container.load(...provider.strategies());
    const issues: ConfigIssue[] = [];
    const wanted = { alg: stringField(provider, 'clientAuth.alg'), kid: stringField(provider, 'clientAuth.kid') };
    let signer: ManagedSigner | undefined;
    try {
      signer = createConfiguredSigner(
        structuredClone(raw),
        SIGNER_PATH,
        {
          providerId: provider.id,
          logger: silentLogger,
          container,
          // The PIN and other references are read as createFinauth reads them; the values stay in the signer's config object.
          resolveReferences: (config) => resolveSecretRefs(config, defaultSecretResolver, provider.baseDir),
        },
        wanted,
        issues,
      );
    } catch (error) {
      return fail(`${provider.path}.${SIGNER_PATH}: cannot be opened: ${describeError(error)}`, 'run with --verbose and report this');
    }
    if (!signer) return openFailure(provider, issues);
    try {
      return await inspect(provider, signer, wanted.kid);
    } finally {
      // HSM sessions and the login end here: the provider's own instance (config valid) opens its own.
      await signer.close?.();
    }
  },
};

function stringField(provider: ProviderUnderCheck, path: string): string | undefined {
  const value = rawField(provider, path);
  return typeof value === 'string' ? value : undefined;
}

/** One line for what kept the signer from opening, with a hint for the field at fault. */
function openFailure(provider: ProviderUnderCheck, issues: readonly ConfigIssue[]): CheckResult {
  const detail = issues.map((i) => `${provider.path}.${i.path}: ${i.message}`).join('; ') || `${provider.path}.${SIGNER_PATH}: cannot be opened`;
  const field = issues[0]?.path.slice(SIGNER_PATH.length + 1).split('.')[0] ?? '';
  const hints: Record<string, string> = {
    type: 'name the signer\'s package in the config file\'s "strategies" list, next to the strategy packages, and install it where the config file is',
    pin: 'the PIN is read from the reference in clientAuth.signer.pin (an env: variable or a file:); give the token user\'s PIN. Do not retry blindly: repeated wrong PINs lock the token',
    keyLabel: "list the token's objects with the vendor's tool and give the private key's label",
    keyId: "list the token's objects with the vendor's tool and give the private key's id, in hex",
    module: "install the vendor's client library, or fix the path to it",
    tokenLabel: 'give the label of a token the module lists (the vendor\'s tool shows them), or its serial as tokenSerial',
    tokenSerial: 'give the serial of a token the module lists (the vendor\'s tool shows them), or its label as tokenLabel',
  };
  return fail(detail, hints[field] ?? 'fix the signer fields named; its package\'s README lists them');
}

/** The signer is open: sign, verify, and find what ties its key to what the bank registered. */
async function inspect(provider: ProviderUnderCheck, signer: ManagedSigner, configuredKid: string | undefined): Promise<CheckResult> {
  const kid = configuredKid ?? signer.kid;
  let jws: string;
  try {
    jws = await signer.sign({ iss: 'finauth doctor', jti: randomUUID(), iat: Math.floor(Date.now() / 1000) }, kid !== undefined ? { kid, typ: 'JWT' } : { typ: 'JWT' });
  } catch (error) {
    return fail(`the key was found, but a test signature failed: ${describeError(error)}`, 'the key store refused to sign with this key: check the key is allowed to sign (CKA_SIGN, the key policy) and the token is reachable');
  }
  const found = `${signer.alg} key found`;
  if (!signer.publicJwk) return warn(`${found} and signed a test JWS; the signer gives no public key, so neither the signature nor the kid can be checked here`, 'store the public key or the certificate beside the private key, so its public half can be read');
  let jwk: JWK;
  try {
    jwk = await signer.publicJwk();
  } catch (error) {
    return warn(`${found} and signed a test JWS; its public key cannot be read (${describeError(error)}): neither the signature nor the kid can be checked here`, 'store the public key or the certificate beside the private key (same id), so its public half can be read');
  }
  try {
    await compactVerify(jws, await importJWK(jwk, signer.alg));
  } catch {
    return fail(`${found}, but a test JWS does not verify with the signer's own public key`, 'the public key or certificate stored beside the private key belongs to another key: re-import the pair, then give the bank the right public key');
  }
  const thumbprint = jwkThumbprintOf(jwk as Record<string, unknown>);
  const base = `${found}, test JWS verified with its public key (RFC 7638 thumbprint ${thumbprint})`;

  const matched: string[] = [];
  const mismatched: { what: string; thumbprint: string }[] = [];
  const compare = (what: string, der: Buffer | undefined): void => {
    if (!der) return;
    const other = certificateThumbprint(der);
    if (other === undefined) mismatched.push({ what: `${what} (unreadable)`, thumbprint: '?' });
    else if (other === thumbprint) matched.push(what);
    else mismatched.push({ what, thumbprint: other });
  };
  if (kid !== undefined && kid === thumbprint) matched.push(configuredKid !== undefined ? 'kid is its thumbprint' : 'kid (not configured) is its thumbprint');

  const assertionCertificate = resolvedField(provider, 'clientAuth.certificate');
  const assertionLeaf = assertionCertificate !== undefined ? leafOf(assertionCertificate) : undefined;
  compare('clientAuth.certificate', assertionLeaf);
  const tlsCert = resolvedField(provider, 'tls.cert');
  const tlsLeaf = tlsCert !== undefined ? leafOf(tlsCert) : undefined;
  // The transport certificate is usually another key (FAPI separates transport and signing keys): only a match is news.
  if (tlsLeaf && certificateThumbprint(tlsLeaf) === thumbprint) matched.push('tls.cert holds this key');
  let stored: Buffer | undefined;
  try {
    stored = await signer.certificate?.();
  } catch {
    stored = undefined;
  }
  compare(stored ? `the key store's certificate (${subjectOf(stored)})` : 'the key store\'s certificate', stored);

  const named = mismatched.find((m) => m.what.startsWith('clientAuth.certificate'));
  if (named) {
    return fail(`${base}; but clientAuth.certificate holds another key (thumbprint ${named.thumbprint}): the assertion header names that certificate, and the bank verifies with its key`, 'give in clientAuth.certificate the certificate issued for this key (or point the signer at the key the certificate was issued for)');
  }
  const storedMismatch = mismatched.find((m) => m.what.startsWith("the key store's certificate"));
  if (storedMismatch) {
    return warn(`${base}; but ${storedMismatch.what} holds another key (thumbprint ${storedMismatch.thumbprint})`, 'the key store keeps, under this key\'s id, a certificate of another key: a bank that registered that certificate will refuse this key. Import the certificate issued for this key');
  }
  if (matched.length > 0) {
    const kidNote = kid !== undefined && kid !== thumbprint ? `; kid "${kid}" is the bank's name for it, not its thumbprint` : '';
    return pass(`${base}; matches: ${matched.join(', ')}${kidNote}`);
  }
  if (kid === undefined) return warn(`${base}; no kid and no certificate: nothing ties this key to what the bank registered`, 'give clientAuth.kid, the name the bank registered the key under');
  return warn(`${base}; kid "${kid}" is not its thumbprint and no certificate holds it: doctor cannot tie the key to what the bank registered`, `check that the public key the bank registered under kid "${kid}" has RFC 7638 thumbprint ${thumbprint} (the live token check proves it against the server)`);
}

/** The first certificate of a PEM (chain), DER; undefined when there is none or it does not parse. */
function leafOf(pem: string): Buffer | undefined {
  try {
    return certificateChainDer(pem)[0];
  } catch {
    return undefined;
  }
}

function certificateThumbprint(der: Buffer): string | undefined {
  try {
    return jwkThumbprintOf(new X509Certificate(der).publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function subjectOf(der: Buffer): string {
  try {
    return new X509Certificate(der).subject.replace(/\n/g, ', ');
  } catch {
    return 'unreadable';
  }
}

