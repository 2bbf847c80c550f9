import type { Candidate } from '../adaptation/AdaptiveSetting.js';
import { pinFragment } from '../adaptation/pinFragment.js';

/**
 * `clientAuth.audience`: `auto` (adapts), `issuer` (FAPI 2.0), `token_endpoint` (the URL the
 * request is posted to: RFC 7523, OIDC Core §9), or an explicit string.
 */
export type AudienceSetting = 'auto' | 'issuer' | 'token_endpoint' | (string & {});

/**
 * The audience rules a profile may name. `issuer_with_slash` is Auth0's tenant URL with a trailing
 * slash (the issuer with one appended when missing); `non_alias_token_endpoint` is the metadata's
 * `token_endpoint` when the request goes to its mTLS alias (a server that checks `aud` against its
 * own non-alias URL).
 */
export type AudienceRule = 'issuer' | 'issuer_with_slash' | 'token_endpoint' | 'non_alias_token_endpoint';

/** What `auto` tries, in order, after the profile's own rule: the issuer, the URL posted to, the non-alias token endpoint. */
export const AUTO_AUDIENCE_LADDER: readonly AudienceRule[] = ['issuer', 'token_endpoint', 'non_alias_token_endpoint'];

export interface AudienceInputs {
  readonly issuer?: string | undefined;
  readonly tokenEndpoint: string;
  readonly nonAliasTokenEndpoint?: string | undefined;
}

/** The `aud` value of one rule for one request, or undefined when the rule has nothing to give (no issuer known). */
export function resolveAudience(rule: AudienceRule, inputs: AudienceInputs): string | undefined {
  switch (rule) {
    case 'issuer':
      return inputs.issuer;
    case 'issuer_with_slash': {
      const base = inputs.issuer ?? new URL(inputs.tokenEndpoint).origin;
      return base.endsWith('/') ? base : `${base}/`;
    }
    case 'token_endpoint':
      return inputs.tokenEndpoint;
    case 'non_alias_token_endpoint':
      return inputs.nonAliasTokenEndpoint;
  }
}

const PUBLIC_KEYWORDS = new Set(['issuer', 'token_endpoint']);

/**
 * The candidates for `aud`, in order, resolved and without duplicates: a fixed setting gives one,
 * `auto` gives the profile's rule (if any) then the ladder. Each carries the config fragment that
 * pins it: the keyword where one exists, else the URL itself.
 */
export function audienceCandidates(setting: AudienceSetting, first: AudienceRule | undefined, inputs: AudienceInputs, path: string): Candidate[] {
  if (setting !== 'auto') {
    const rule = PUBLIC_KEYWORDS.has(setting) ? (setting as AudienceRule) : undefined;
    const value = rule ? resolveAudience(rule, inputs) : setting;
    return value === undefined ? [] : [{ key: setting, value, pin: pinFragment(path, setting) }];
  }
  const out: Candidate[] = [];
  for (const rule of first ? [first, ...AUTO_AUDIENCE_LADDER] : AUTO_AUDIENCE_LADDER) {
    const value = resolveAudience(rule, inputs);
    if (value === undefined || out.some((c) => c.value === value)) continue;
    out.push({ key: rule, value, pin: pinFragment(path, PUBLIC_KEYWORDS.has(rule) ? rule : value) });
  }
  return out;
}
