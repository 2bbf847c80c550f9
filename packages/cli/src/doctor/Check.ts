import type { Finauth, TelemetryEvent } from '@finauth/core';
import type { StrategySource } from '../strategies.js';

export type Verdict = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  readonly verdict: Verdict;
  /** One line: what was found. Never a secret or key material. */
  readonly detail: string;
  /** One line: what to do about it (for warn and fail). */
  readonly hint?: string;
}

/** What the checks of one provider know and pass on to the ones after them. */
export interface ProviderUnderCheck {
  /** Where the provider is in the file, e.g. `providers[1]`. */
  readonly path: string;
  readonly id: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly baseDir: string;
  /** Top-level options of the file (refreshSkewSeconds, ...), applied to the provider's instance. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The shipped strategies and those the file names. */
  readonly strategies: StrategySource;
  /** The provider's own instance, once its config is valid: used for the live token. */
  finauth?: Finauth;
  /** What that instance emitted (the live token check reads `auth.adapted`). */
  readonly events: TelemetryEvent[];
  /** The token endpoint: configured, or found by the discovery check. */
  tokenEndpoint?: string;
}

export interface Check {
  readonly name: string;
  /**
   * Checks that must not have failed for this one to say anything new: when one did, this check is
   * skipped, so one mistake is one FAIL rather than a cascade (a missing file is not also "config
   * invalid", "handshake failed" and "no token").
   */
  readonly needs?: readonly string[];
  run(provider: ProviderUnderCheck): Promise<CheckResult> | CheckResult;
}

export const pass = (detail: string): CheckResult => ({ verdict: 'pass', detail });
export const warn = (detail: string, hint: string): CheckResult => ({ verdict: 'warn', detail, hint });
export const fail = (detail: string, hint: string): CheckResult => ({ verdict: 'fail', detail, hint });
export const skip = (detail: string): CheckResult => ({ verdict: 'skip', detail });
