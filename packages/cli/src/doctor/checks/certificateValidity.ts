import { X509Certificate } from 'node:crypto';
import { CERT_EXPIRY_WARNING_DAYS } from '@finauth/core';
import { fail, pass, skip, warn, type Check } from '../Check.js';
import { resolvedTls } from '../providerFields.js';

const DAY_MS = 86_400_000;

export const certificateValidity: Check = {
  name: 'certificate validity',
  run(provider) {
    const { cert: pem } = resolvedTls(provider);
    if (!pem) return skip('no client certificate configured');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return fail('tls.cert is not a PEM X.509 certificate', 'give the client certificate the bank registered');
    }
    const now = Date.now();
    const notAfter = Date.parse(cert.validTo);
    const notBefore = Date.parse(cert.validFrom);
    const until = new Date(notAfter).toISOString().slice(0, 10);
    if (notAfter < now) return fail(`tls.cert expired on ${until}`, 'renew the certificate with the bank and register the new one');
    if (notBefore > now) return fail(`tls.cert is not valid before ${new Date(notBefore).toISOString()}`, "check this machine's clock, or wait for the certificate's start date");
    const days = Math.floor((notAfter - now) / DAY_MS);
    // The threshold of the warning createFinauth logs.
    if (days < CERT_EXPIRY_WARNING_DAYS) return warn(`tls.cert expires on ${until}, in ${days} days`, 'renew it now: banks take days to register a new certificate');
    return pass(`valid until ${until} (${days} days left)`);
  },
};
