import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AccessToken, CachedToken } from '@finauth/core';
import type { EncryptionKey } from './EncryptionKey.js';

/** A stored entry read back: the entry and its version (the random IV or nonce of that write). */
export type Decoded =
  | { readonly ok: true; readonly entry: CachedToken; readonly version: string }
  | { readonly ok: false; readonly reason: 'unknown-key' | 'authentication-failed' | 'malformed' | 'plaintext-refused' | 'encrypted-refused'; readonly keyId?: string; readonly version?: string };

const FORMAT = 'f1';
const IV_BYTES = 12; // @see NIST SP 800-38D §8.2: 96-bit IVs, random, never reused under one key
const TAG_BYTES = 16;

/**
 * Writes an entry as `f1:e:<keyId>:<iv>:<ciphertext>:<tag>` (AES-256-GCM under the newest key, the
 * Redis key and the key id bound as associated data, so an entry copied to another key fails to
 * decrypt) or, with the plaintext opt-out, `f1:p:<nonce>:<json>`.
 */
export function encodeEntry(entry: CachedToken, redisKey: string, keys: readonly EncryptionKey[]): { value: string; version: string } {
  const json = Buffer.from(JSON.stringify(toJson(entry)), 'utf8');
  const key = keys[0];
  if (!key) {
    const nonce = randomBytes(IV_BYTES).toString('base64url');
    return { value: `${FORMAT}:p:${nonce}:${json.toString('base64url')}`, version: nonce };
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, redisKey));
  const ciphertext = Buffer.concat([cipher.update(json), cipher.final()]);
  const version = iv.toString('base64url');
  return { value: `${FORMAT}:e:${key.id}:${version}:${ciphertext.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}`, version };
}

/**
 * Reads an entry. Anything that does not authenticate, parse and validate is refused, never
 * returned half-decoded: a wrong key means a refetch, not a garbled token.
 */
export function decodeEntry(value: string, redisKey: string, keys: readonly EncryptionKey[]): Decoded {
  const parts = value.split(':');
  if (parts[0] !== FORMAT) return { ok: false, reason: 'malformed' };
  if (parts[1] === 'p' && parts.length === 4) {
    // An encrypting cache never accepts clear text: that would let whoever can write Redis plant a token.
    if (keys.length > 0) return { ok: false, reason: 'plaintext-refused', version: parts[2] };
    const entry = fromJson(Buffer.from(parts[3] ?? '', 'base64url').toString('utf8'));
    return entry ? { ok: true, entry, version: parts[2] ?? '' } : { ok: false, reason: 'malformed' };
  }
  if (parts[1] !== 'e' || parts.length !== 6) return { ok: false, reason: 'malformed' };
  const [, , keyId = '', version = '', body = '', tag = ''] = parts;
  if (keys.length === 0) return { ok: false, reason: 'encrypted-refused', keyId, version };
  const key = keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, reason: 'unknown-key', keyId, version };
  let json: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, Buffer.from(version, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, redisKey));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    json = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return { ok: false, reason: 'authentication-failed', keyId, version };
  }
  const entry = fromJson(json);
  return entry ? { ok: true, entry, version } : { ok: false, reason: 'malformed', keyId, version };
}

function associatedData(keyId: string, redisKey: string): Buffer {
  return Buffer.from(`${FORMAT}:e:${keyId}:${redisKey}`, 'utf8');
}

interface StoredEntry {
  t: { p: string; a: string; y: string; e: number | null; s: readonly string[]; r: Readonly<Record<string, unknown>> };
  r: number;
  x: number;
}

function toJson(entry: CachedToken): StoredEntry {
  const t = entry.token;
  return { t: { p: t.providerId, a: t.accessToken, y: t.tokenType, e: t.expiresAt ? t.expiresAt.getTime() : null, s: t.scope, r: t.raw }, r: entry.refreshAt, x: entry.expiresAt };
}

function fromJson(text: string): CachedToken | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed['t'])) return undefined;
  const { r: refreshAt, x: expiresAt } = parsed;
  const t = parsed['t'];
  const ok =
    typeof refreshAt === 'number' && typeof expiresAt === 'number' &&
    typeof t['p'] === 'string' && typeof t['a'] === 'string' && t['a'] !== '' && typeof t['y'] === 'string' &&
    (t['e'] === null || typeof t['e'] === 'number') &&
    Array.isArray(t['s']) && t['s'].every((s) => typeof s === 'string') && isRecord(t['r']);
  if (!ok) return undefined;
  const token: AccessToken = {
    providerId: t['p'] as string,
    accessToken: t['a'] as string,
    tokenType: t['y'] as string,
    ...(typeof t['e'] === 'number' ? { expiresAt: new Date(t['e']) } : {}),
    scope: Object.freeze([...(t['s'] as string[])]),
    raw: Object.freeze({ ...(t['r'] as Record<string, unknown>) }),
  };
  return { token, refreshAt, expiresAt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
