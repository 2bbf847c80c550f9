import type { Check } from '../Check.js';
import { certificateKeyMatch } from './certificateKeyMatch.js';
import { certificateValidity } from './certificateValidity.js';
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

/** In order: the cheap local checks first, then the network, then a live token. */
export const DOCTOR_CHECKS: readonly Check[] = [configValid, referencesReadable, certificateKeyMatch, certificateValidity, signingKeyFit, snapSigningKey, proxyPath, discovery, dpopKey, tlsHandshake, liveToken, resourceOrigins];
