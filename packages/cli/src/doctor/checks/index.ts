import type { Check } from '../Check.js';
import { certificateKeyMatch } from './certificateKeyMatch.js';
import { certificateValidity } from './certificateValidity.js';
import { configuredSigner } from './configuredSigner.js';
import { configValid } from './configValid.js';
import { discovery } from './discovery.js';
import { dpopKey } from './dpopKey.js';
import { liveToken } from './liveToken.js';
import { proxyPath } from './proxyPath.js';
import { referencesReadable } from './referencesReadable.js';
import { resourceOrigins } from './resourceOrigins.js';
import { signingKeyFit } from './signingKeyFit.js';
import { snapSigningKey } from './snapSigningKey.js';
import { tlsHandshake } from './tlsHandshake.js';

const after = (check: Check, ...needs: Check[]): Check => ({ ...check, run: check.run.bind(check), needs: needs.map((n) => n.name) });

/**
 * In order: the local checks (files, key and certificate), the whole config, then the network
 * (the egress proxy, then TLS before discovery, so a proxy or TLS problem is named once), then a
 * live token. Each runs only when the checks it depends on did not fail.
 */
export const DOCTOR_CHECKS: readonly Check[] = [
  referencesReadable,
  after(certificateKeyMatch, referencesReadable),
  after(certificateValidity, referencesReadable),
  after(signingKeyFit, referencesReadable),
  after(snapSigningKey, referencesReadable),
  // A signer declared by type (an HSM key) opens, signs and is the registered key, before the
  // provider is created: a wrong PIN is then one FAIL and one login attempt, not one per check.
  after(configuredSigner, referencesReadable),
  after(configValid, referencesReadable, certificateKeyMatch, certificateValidity, signingKeyFit, snapSigningKey, configuredSigner),
  // The egress proxy before anything that connects: a proxy problem is named once, there.
  after(proxyPath, configValid),
  after(tlsHandshake, configValid, proxyPath),
  after(discovery, tlsHandshake),
  // The DPoP key's fit is worth saying whatever else failed; the server's algs come from discovery when it ran.
  dpopKey,
  after(liveToken, discovery, dpopKey),
  // About the config alone (where http() may send the token): worth saying whatever the network did.
  after(resourceOrigins, configValid),
];
