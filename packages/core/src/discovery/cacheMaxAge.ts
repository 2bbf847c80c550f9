/** Without Cache-Control, the discovery document is kept an hour. */
export const DEFAULT_DISCOVERY_TTL_MS = 3600_000;
/** A day at most, whatever the server says: keys and endpoints do move. */
export const MAX_DISCOVERY_TTL_MS = 24 * 3600_000;

/**
 * How long a discovery response may be reused, from its Cache-Control header.
 * `no-store` and `no-cache` mean "ask again next time" (0).
 * @see RFC 9111 §5.2.2.1 (max-age), §5.2.2.4 (no-cache), §5.2.2.5 (no-store)
 */
export function cacheMaxAge(cacheControl: string | undefined): number {
  if (!cacheControl) return DEFAULT_DISCOVERY_TTL_MS;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache' || d.startsWith('no-cache='))) return 0;
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(d);
    if (m) return Math.min(Number(m[1]) * 1000, MAX_DISCOVERY_TTL_MS);
  }
  return DEFAULT_DISCOVERY_TTL_MS;
}
