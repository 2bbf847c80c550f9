/**
 * SNAP `responseCode`: seven digits, HTTP status (3) + service code (2) + case code (2). The B2B
 * access token is service 73, so success is `2007300`, and `4017300` is "Unauthorized [reason]"
 * (bad signature, unknown client, timestamp out of window).
 * @see docs/guides/snap-bi.md (response code table of the standard)
 */
export const ACCESS_TOKEN_SERVICE_CODE = '73';

export const SNAP_RESPONSE_CODE = /^\d{7}$/;

/** The HTTP status family a response code carries (its first three digits). */
export function statusOfCode(code: string): number | undefined {
  return SNAP_RESPONSE_CODE.test(code) ? Number(code.slice(0, 3)) : undefined;
}

/** Success codes are 2xx (`2007300`; `2027300` "in progress" is never an access token). */
export function isSuccessCode(code: string): boolean {
  return /^200\d{4}$/.test(code);
}

/**
 * Worth another attempt: the 5xx family (`5007300` general error, `5007301` internal server error,
 * `5047300` timeout) and throttling (`429xxxx`, or HTTP 429). Everything else (a bad signature,
 * a missing field, an unknown client) fails the same way every time.
 */
export function isRetryable(code: string | undefined, httpStatus: number): boolean {
  const family = code === undefined ? undefined : statusOfCode(code);
  if (family !== undefined) return family >= 500 || family === 429;
  return httpStatus >= 500 || httpStatus === 429;
}
