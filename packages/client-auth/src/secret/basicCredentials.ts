/**
 * How the client id and secret are put into `Authorization: Basic`.
 * - `form-urlencoded`: RFC 6749 §2.3.1, each value `application/x-www-form-urlencoded` first.
 * - `raw`: `base64(id + ":" + secret)`, as the BNP Paribas CIB gateway pseudo code builds it.
 */
export type CredentialEncoding = 'form-urlencoded' | 'raw';

export const CREDENTIAL_ENCODINGS: readonly CredentialEncoding[] = Object.freeze(['form-urlencoded', 'raw']);

/** Bytes left as they are: ASCII letters, digits and RFC 3986 §2.3 unreserved `-._~`. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** A value made of those only encodes to itself. */
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const HEX = '0123456789ABCDEF';
const utf8 = new TextEncoder();

/**
 * `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 Appendix B asks: UTF-8,
 * space as `+`, every other byte `%XX` except letters, digits and `-._~`.
 *
 * Not `encodeURIComponent` (keeps `!'()*` and writes space as `%20`) nor `URLSearchParams` (keeps
 * `*`, escapes `~`): escaping an unreserved character breaks gateways that compare the header
 * without decoding it, since every decoder leaves those characters as they are anyway.
 * @see RFC 6749 §2.3.1 and Appendix B
 */
export function formUrlEncode(value: string): string {
  // Client ids and many secrets are letters and digits: one test instead of a loop over the bytes.
  if (ALL_UNRESERVED.test(value)) return value;
  let out = '';
  for (const byte of utf8.encode(value)) {
    const char = String.fromCharCode(byte);
    if (UNRESERVED.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}

/**
 * Whether a client id survives `raw`: the server splits `id:secret` at the first colon
 * (RFC 7617 §2), so an unescaped colon in the id would hand part of it over as the secret.
 */
export function sendableRaw(clientId: string): boolean {
  return !clientId.includes(':');
}

export const RAW_COLON_MESSAGE = 'contains ":", which credentialEncoding "raw" cannot send (RFC 7617 §2); use "form-urlencoded"';

/**
 * The base64 credentials of `Authorization: Basic <credentials>` (UTF-8, RFC 7617 §2.1).
 * With `raw`, a `:` in the client id would move the split point: callers reject that at config time.
 * @see RFC 6749 §2.3.1, RFC 7617 §2
 */
export function basicCredentials(clientId: string, clientSecret: string, encoding: CredentialEncoding = 'form-urlencoded'): string {
  const pair = encoding === 'raw' ? `${clientId}:${clientSecret}` : `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`;
  return Buffer.from(pair, 'utf8').toString('base64');
}
