/**
 * `X-TIMESTAMP`: ISO 8601 local time with its UTC offset, e.g. `2026-11-29T17:10:15+07:00`.
 * SNAP's access-token header table asks for `YYYY-MM-DDTHH:mm:ss+07:00` (Jakarta time); some
 * providers document milliseconds (`…:15.123+07:00`), hence the precision option.
 * @see docs/guides/snap-bi.md (Standar Teknis dan Keamanan, access-token header structure)
 */
export type TimestampPrecision = 'seconds' | 'milliseconds';

/** `±HH:MM`, hours up to 14 (ISO 8601 / RFC 3339 numeric offset; `Z` is not what SNAP servers parse). */
export const OFFSET_PATTERN = /^[+-](0\d|1[0-4]):[0-5]\d$/;

/** Western Indonesia Time (WIB), the offset SNAP's examples and most servers expect. */
export const DEFAULT_TIMESTAMP_OFFSET = '+07:00';

/** Minutes east of UTC for a `±HH:MM` offset; throws RangeError for anything else. */
export function offsetMinutes(offset: string): number {
  if (!OFFSET_PATTERN.test(offset)) throw new RangeError('offset must be ±HH:MM');
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** The `X-TIMESTAMP` value for the instant `epochMs`, written in the given offset's local time. */
export function snapTimestamp(epochMs: number, offset: string = DEFAULT_TIMESTAMP_OFFSET, precision: TimestampPrecision = 'seconds'): string {
  const local = new Date(epochMs + offsetMinutes(offset) * 60_000).toISOString();
  return `${local.slice(0, precision === 'milliseconds' ? 23 : 19)}${offset}`;
}

/** The instant an `X-TIMESTAMP` denotes (offset applied), or undefined when it is not in that format. */
export function parseSnapTimestamp(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)([+-]\d{2}:\d{2})$/.exec(text);
  if (!match?.[1] || !match[2] || !OFFSET_PATTERN.test(match[2])) return undefined;
  const utc = Date.parse(`${match[1]}Z`);
  return Number.isNaN(utc) ? undefined : utc - offsetMinutes(match[2]) * 60_000;
}
