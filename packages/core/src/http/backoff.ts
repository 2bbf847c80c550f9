export interface BackoffSettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (0-based): exponential with full jitter, so that many clients
 * throttled at once do not come back at once; a server's Retry-After wins when it asks for longer.
 * Returns undefined when the server asks for a wait beyond `maxDelayMs`: failing now beats
 * hammering, or holding a caller for minutes.
 */
export function backoffDelay(retry: number, settings: BackoffSettings, retryAfterMs: number | undefined, random: () => number = Math.random): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > settings.maxDelayMs) return undefined;
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(retryAfterMs ?? 0, jittered);
}
