import { auth0 } from './auth0.js';
import { cdrAu } from './cdrAu.js';
import { entra } from './entra.js';
import { obbBr } from './obbBr.js';
import { obUk } from './obUk.js';
import { okta } from './okta.js';
import type { Oauth2Profile } from './Oauth2Profile.js';
import { paynetOfp } from './paynetOfp.js';

/** Every named profile, by the name a provider config uses (`"profile": "entra"`). */
export const PROFILES: Readonly<Record<string, Oauth2Profile>> = Object.freeze(
  Object.fromEntries([entra, okta, auth0, obUk, cdrAu, obbBr, paynetOfp].map((p) => [p.name, Object.freeze(p)])),
);

export const PROFILE_NAMES: readonly string[] = Object.freeze(Object.keys(PROFILES));

export { auth0, cdrAu, entra, obbBr, obUk, okta, paynetOfp, type Oauth2Profile };
