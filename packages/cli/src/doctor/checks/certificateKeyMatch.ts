import { createPrivateKey, X509Certificate } from 'node:crypto';
import { fail, pass, skip, type Check } from '../Check.js';
import { resolvedTls } from '../providerFields.js';

export const certificateKeyMatch: Check = {
  name: 'certificate and key match',
  run(provider) {
    const tls = resolvedTls(provider);
    if (!tls.cert && !tls.key) return skip('no client certificate configured');
    if (!tls.cert || !tls.key) return fail(`tls.${tls.cert ? 'key' : 'cert'} is missing or unreadable`, 'mutual TLS needs both the certificate and its private key');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(tls.cert);
    } catch {
      return fail('tls.cert is not a PEM X.509 certificate', 'give the client certificate the bank registered ("-----BEGIN CERTIFICATE-----")');
    }
    try {
      const key = createPrivateKey(tls.passphrase ? { key: tls.key, passphrase: tls.passphrase } : tls.key);
      if (!cert.checkPrivateKey(key)) {
        return fail('tls.key is not the private key of tls.cert', 'compare `openssl x509 -noout -pubkey -in cert.pem` with `openssl pkey -pubout -in key.pem`');
      }
      return pass(`tls.key belongs to ${cert.subject.replace(/\n/g, ', ')}`);
    } catch {
      return fail('tls.key is not a PEM private key (or its passphrase is wrong)', 'give the PKCS#8 private key the certificate was issued for');
    }
  },
};
