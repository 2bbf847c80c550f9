import { randomBytes } from 'node:crypto';

/**
 * A client secret that survives only one of the two Basic encodings: it holds + / : % = and a
 * space, so `base64(id:secret)` and `base64(formEncode(id):formEncode(secret))` (RFC 6749 §2.3.1)
 * differ. The `%` is followed by two hex digits so that an RFC 6749 server decoding a raw secret
 * gets a *different* valid string (401 invalid_client) rather than a decoding error (400).
 */
export function awkwardSecret(): string {
  return `${randomBytes(9).toString('base64url')}+/:%41= z`;
}

/** An opaque gateway token in the style of the BNP Paribas CIB gateway page (OAuth2 - Client Credentials) (28 alphanumerics). */
export function gatewayToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(28), (b) => alphabet[b % alphabet.length]).join('');
}
