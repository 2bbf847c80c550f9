import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * Parses each distinct PEM once per createFinauth call. Providers of one configuration often share
 * a certificate, a CA or a key (one transport certificate registered at many banks), and parsing is
 * most of what creating a provider costs (docs/performance.md). Scoped to one call, so no key
 * material outlives it.
 */
export class ParsedMaterial {
  readonly #certificates = new Map<string, X509Certificate | null>();
  readonly #keys = new Map<string, KeyObject | null>();
  readonly #matches = new Map<X509Certificate, Map<KeyObject, boolean>>();

  /** The first certificate of `pem`, or undefined when it does not parse. */
  certificate(pem: string): X509Certificate | undefined {
    let cert = this.#certificates.get(pem);
    if (cert === undefined) {
      try {
        cert = new X509Certificate(pem);
      } catch {
        cert = null;
      }
      this.#certificates.set(pem, cert);
    }
    return cert ?? undefined;
  }

  /** The private key of `pem`, or undefined when it does not parse (or the passphrase is wrong). */
  privateKey(pem: string, passphrase?: string): KeyObject | undefined {
    const memo = passphrase ? `${passphrase}\u0000${pem}` : pem;
    let key = this.#keys.get(memo);
    if (key === undefined) {
      try {
        key = createPrivateKey(passphrase ? { key: pem, passphrase } : pem);
      } catch {
        key = null;
      }
      this.#keys.set(memo, key);
    }
    return key ?? undefined;
  }

  /** True when the key belongs to the certificate (both as returned above: one object per PEM). */
  matches(cert: X509Certificate, key: KeyObject): boolean {
    let byKey = this.#matches.get(cert);
    if (!byKey) this.#matches.set(cert, (byKey = new Map()));
    let result = byKey.get(key);
    if (result === undefined) byKey.set(key, (result = cert.checkPrivateKey(key)));
    return result;
  }
}
