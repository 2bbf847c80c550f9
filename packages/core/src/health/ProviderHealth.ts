import type { ConfigIssue } from '../errors/index.js';
import type { CircuitState } from '../token/CircuitBreaker.js';

export type HealthStatus = 'ok' | 'degraded' | 'down';

/** One provider in `auth.health()`: what this process knows, without I/O and without a secret. */
export interface ProviderHealth {
  readonly status: HealthStatus;
  /** When this process last got a token from the bank. */
  readonly lastSuccessAt?: Date;
  /** The last failed fetch: the error's stable code, never its message. */
  readonly lastError?: { readonly code: string; readonly at: Date };
  /** Expiry of the latest token this process fetched for the provider. */
  readonly tokenExpiresAt?: Date;
  readonly circuit: CircuitState;
  /** Set when the provider's config is invalid (`invalidProviders: 'isolate'`, or a failed reload kept the old one). */
  readonly invalidConfig?: readonly ConfigIssue[];
}

/** `auth.health()`. */
export interface FinauthHealth {
  readonly status: HealthStatus;
  readonly providers: Readonly<Record<string, ProviderHealth>>;
}
