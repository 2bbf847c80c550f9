import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * `x-fapi-auth-date`, exactly as the OFP token endpoint OpenAPI description constrains it (an RFC 7231 IMF-fixdate, GMT or UTC).
 * @see the OFP token endpoint OpenAPI description, RFC 7231 §7.1.1.1
 */
export const FAPI_AUTH_DATE_PATTERN = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/;

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';

/** The optional FAPI headers of one token request, as the caller gives them. */
export interface FapiHeaderValues {
  /** When the customer last logged in: a Date, or a string in the OFP token endpoint OpenAPI description's form. */
  readonly authDate?: Date | string;
  /** The customer's IPv4 or IPv6 address. */
  readonly customerIpAddress?: string;
  /** The customer's user agent. */
  readonly customerUserAgent?: string;
}

/** Per-call options: `getToken(id, { strategyOptions: { fapiAuthDate, ... } })`. */
export interface Fapi2CallOptions {
  readonly fapiAuthDate?: Date | string;
  readonly fapiCustomerIpAddress?: string;
  readonly fapiCustomerUserAgent?: string;
}

export const CALL_OPTION_KEYS: Readonly<Record<keyof Fapi2CallOptions, keyof FapiHeaderValues>> = {
  fapiAuthDate: 'authDate',
  fapiCustomerIpAddress: 'customerIpAddress',
  fapiCustomerUserAgent: 'customerUserAgent',
};

/** A fresh RFC 4122 version 4 UUID: the correlation id of one request (the OFP token endpoint OpenAPI description). */
export function newInteractionId(): string {
  return randomUUID();
}

/**
 * The GMT form of an auth date, or an error message. A string must already match the OFP token endpoint OpenAPI description's
 * pattern and name a real instant whose weekday agrees; "UTC" is sent as "GMT", as RFC 7231 requires.
 */
export function formatAuthDate(value: Date | string): { value: string } | { error: string } {
  let date: Date;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'string') {
    if (!FAPI_AUTH_DATE_PATTERN.test(value)) return { error: 'must look like "Sun, 10 Sep 2017 19:43:31 GMT" (the OFP token endpoint OpenAPI description, RFC 7231 IMF-fixdate)' };
    date = new Date(Date.parse(value.replace(/UTC$/, 'GMT')));
    if (Number.isNaN(date.getTime()) || date.toUTCString() !== value.replace(/UTC$/, 'GMT')) return { error: 'is not a real date (check the day, the weekday and the time)' };
  } else {
    return { error: 'must be a Date or a string like "Sun, 10 Sep 2017 19:43:31 GMT"' };
  }
  if (Number.isNaN(date.getTime())) return { error: 'is an invalid Date' };
  const text = date.toUTCString();
  // Years beyond 9999 or before 1000 do not fit the pattern's \d{4}.
  if (!FAPI_AUTH_DATE_PATTERN.test(text)) return { error: 'is outside the years the header can carry' };
  return { value: text };
}

/** A header value the customer's device supplied: printable, one line, bounded. */
function checkUserAgent(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > 1024) return 'is longer than 1024 characters';
  // CR/LF would split the header (request smuggling); other controls and non-Latin-1 break HTTP/1.1.
  if (!/^[\x20-\x7e\x80-\xff]+$/.test(value) || /^\s|\s$/.test(value)) return 'must be printable text on one line without leading or trailing spaces';
  return undefined;
}

/** Where provider-level header values sit in a provider's config, for issue paths. */
export const PROVIDER_HEADER_PATHS = Object.freeze({ authDate: 'fapiHeaders.authDate', customerIpAddress: 'fapiHeaders.customerIpAddress', customerUserAgent: 'fapiHeaders.customerUserAgent' });

/**
 * Checks optional FAPI header values and returns the headers to send, or the problems found, each
 * keyed by the name the caller used.
 */
export function buildFapiHeaders(values: FapiHeaderValues, names: Readonly<Record<keyof FapiHeaderValues, string>>): { headers: Record<string, string>; issues: { path: string; message: string }[] } {
  const headers: Record<string, string> = {};
  const issues: { path: string; message: string }[] = [];
  if (values.authDate !== undefined) {
    const r = formatAuthDate(values.authDate);
    if ('error' in r) issues.push({ path: names.authDate, message: r.error });
    else headers['x-fapi-auth-date'] = r.value;
  }
  if (values.customerIpAddress !== undefined) {
    if (typeof values.customerIpAddress !== 'string' || isIP(values.customerIpAddress) === 0) issues.push({ path: names.customerIpAddress, message: 'must be an IPv4 or IPv6 address' });
    else headers['x-fapi-customer-ip-address'] = values.customerIpAddress;
  }
  if (values.customerUserAgent !== undefined) {
    const problem = checkUserAgent(values.customerUserAgent);
    if (problem) issues.push({ path: names.customerUserAgent, message: problem });
    else headers['x-customer-user-agent'] = values.customerUserAgent;
  }
  return { headers, issues };
}

/** Echoed ids compare case-insensitively: UUIDs are hex, and servers differ on case (RFC 4122 §3). */
export function sameInteractionId(sent: string, echoed: string): boolean {
  return sent.toLowerCase() === echoed.trim().toLowerCase();
}
