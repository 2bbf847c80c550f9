export interface GetTokenOptions {
  /** Space-separated scope; defaults to the provider's configured `scope`. */
  readonly scope?: string;
  /** Fetch a new token even when a cached one is still good. */
  readonly forceRefresh?: boolean;
  /** Stop waiting; the shared fetch other callers wait on runs on. */
  readonly signal?: AbortSignal;
  /** Per-call options for the strategy, e.g. FAPI 2.0 headers (`{ fapiCustomerIpAddress }`). */
  readonly strategyOptions?: Readonly<Record<string, unknown>>;
}
