import { transportCertificate } from './helpers/material.js';

/**
 * A root hook: the unit tests' transport certificate is minted once, before any test reads the clock.
 * openssl dates it "now" (to the second); a test that captured Date.now() before the first minting
 * could see a certificate not valid yet under load ("tls.cert is not valid before ...").
 */
before(() => {
  transportCertificate();
});
