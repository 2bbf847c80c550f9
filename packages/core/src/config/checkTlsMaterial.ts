import type { KeyObject, X509Certificate } from 'node:crypto';
import type { ConfigIssue } from '../errors/index.js';
import type { TlsPolicy } from '../http/Transport.js';
import { ParsedMaterial } from './ParsedMaterial.js';
import type { TlsConfig } from './TlsConfig.js';

/** A certificate this close to expiry is worth a warning at start-up. */
export const CERT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export interface TlsCheckResult {
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
  /** SHA-256 fingerprint of the client certificate: part of the provider's cache identity. */
  readonly certificateFingerprint?: string;
}

/**
 * Checks a provider's TLS material at creation, where a mistake is cheap to report: each PEM
 * parses, the key belongs to the certificate, the certificate is within its validity period.
 * Messages never include PEM content.
 */
export function checkTlsMaterial(tls: TlsConfig | undefined, policy: TlsPolicy, now: number, strategyKind: string, parsed = new ParsedMaterial()): TlsCheckResult {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  let fingerprint: string | undefined;
  if (policy.requireClientCertificate) {
    if (!tls?.cert) issues.push({ path: 'tls.cert', message: `a client certificate is required by the ${strategyKind} strategy (mutual TLS)` });
    if (!tls?.key) issues.push({ path: 'tls.key', message: `the client certificate's private key is required by the ${strategyKind} strategy (mutual TLS)` });
  }
  if (!tls) return { issues, warnings };
  if (tls.cert && !tls.key && !policy.requireClientCertificate) issues.push({ path: 'tls.key', message: 'tls.cert is set but tls.key is not' });
  if (tls.key && !tls.cert && !policy.requireClientCertificate) issues.push({ path: 'tls.cert', message: 'tls.key is set but tls.cert is not' });

  let cert: X509Certificate | undefined;
  let key: KeyObject | undefined;
  if (tls.cert) {
    cert = parsed.certificate(tls.cert);
    if (!cert) issues.push({ path: 'tls.cert', message: 'is not a PEM X.509 certificate' });
  }
  if (tls.key) {
    if (tls.key.includes('-----BEGIN CERTIFICATE-----') && !tls.key.includes('PRIVATE KEY-----')) {
      issues.push({ path: 'tls.key', message: 'holds a certificate, not a private key' });
    } else {
      key = parsed.privateKey(tls.key, tls.passphrase);
      if (!key) {
        issues.push({ path: 'tls.key', message: tls.passphrase ? 'is not a PEM private key, or tls.passphrase is wrong' : 'is not a PEM private key (an encrypted key needs tls.passphrase)' });
      }
    }
  }
  if (cert && key && !parsed.matches(cert, key)) issues.push({ path: 'tls.key', message: 'does not match the public key of tls.cert' });
  if (cert) {
    fingerprint = cert.fingerprint256;
    const notAfter = Date.parse(cert.validTo);
    const notBefore = Date.parse(cert.validFrom);
    if (notAfter < now) issues.push({ path: 'tls.cert', message: `expired on ${new Date(notAfter).toISOString()}` });
    else if (notBefore > now) issues.push({ path: 'tls.cert', message: `is not valid before ${new Date(notBefore).toISOString()}` });
    else if (notAfter - now < CERT_EXPIRY_WARNING_DAYS * DAY_MS) warnings.push(`tls.cert expires in ${Math.floor((notAfter - now) / DAY_MS)} days (${new Date(notAfter).toISOString()})`);
  }
  if (tls.ca) {
    if (!parsed.certificate(tls.ca)) issues.push({ path: 'tls.ca', message: 'is not a PEM X.509 certificate' });
  }
  return fingerprint ? { issues, warnings, certificateFingerprint: fingerprint } : { issues, warnings };
}
