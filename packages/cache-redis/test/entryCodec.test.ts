import { randomBytes } from 'node:crypto';
import type { CachedToken } from '@finauth/core';
import { expect } from 'chai';
import { decodeEntry, encodeEntry } from '../src/entryCodec.js';
import type { EncryptionKey } from '../src/EncryptionKey.js';

const key = (id: string): EncryptionKey => ({ id, material: randomBytes(32) });
const SECRET = 'eyJhbGciOiJQUzI1NiJ9.secret-access-token-value';
const entry: CachedToken = {
  token: { providerId: 'bank', accessToken: SECRET, tokenType: 'Bearer', expiresAt: new Date(2_000_000_000_000), scope: ['accounts', 'payments'], raw: { access_token: SECRET, extra: 'x' } },
  refreshAt: 1_999_999_940_000,
  expiresAt: 2_000_000_000_000,
};
const REDIS_KEY = 'finauth:{abc}:token';

describe('entryCodec', () => {
  describe('AES-256-GCM entries', () => {
    it('round-trips the whole entry (token, dates, scope, raw) under the newest key', () => {
      const k1 = key('k1');
      const { value, version } = encodeEntry(entry, REDIS_KEY, [k1, key('k0')]);
      expect(value.startsWith('f1:e:k1:')).to.equal(true);
      const decoded = decodeEntry(value, REDIS_KEY, [k1]);
      expect(decoded.ok).to.equal(true);
      if (!decoded.ok) return;
      expect(decoded.version).to.equal(version);
      expect(decoded.entry.token.accessToken).to.equal(SECRET);
      expect(decoded.entry.token.expiresAt?.getTime()).to.equal(2_000_000_000_000);
      expect(decoded.entry.token.scope).to.deep.equal(['accounts', 'payments']);
      expect(decoded.entry.token.raw).to.deep.equal({ access_token: SECRET, extra: 'x' });
      expect(decoded.entry.refreshAt).to.equal(entry.refreshAt);
    });

    it('never contains the token in clear, nor its base64', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, [key('k1')]);
      expect(value).to.not.include(SECRET);
      expect(value).to.not.include(Buffer.from(SECRET).toString('base64url').slice(0, 20));
      expect(value).to.not.include('secret-access-token');
    });

    it('uses a fresh IV per write (the version), so two writes differ', () => {
      const k1 = key('k1');
      const a = encodeEntry(entry, REDIS_KEY, [k1]);
      const b = encodeEntry(entry, REDIS_KEY, [k1]);
      expect(a.version).to.not.equal(b.version);
      expect(a.value).to.not.equal(b.value);
    });

    it('decrypts with any configured key (rotation: new first, old still read)', () => {
      const old = key('old');
      const { value } = encodeEntry(entry, REDIS_KEY, [old]);
      const decoded = decodeEntry(value, REDIS_KEY, [key('new'), old]);
      expect(decoded.ok).to.equal(true);
    });

    it('refuses an entry whose key id is not configured', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, [key('k1')]);
      const decoded = decodeEntry(value, REDIS_KEY, [key('k2')]);
      expect(decoded).to.include({ ok: false, reason: 'unknown-key', keyId: 'k1' });
    });

    it('refuses, never garbles, an entry under the same key id but other key material', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, [key('k1')]);
      const decoded = decodeEntry(value, REDIS_KEY, [key('k1')]);
      expect(decoded).to.include({ ok: false, reason: 'authentication-failed' });
      expect(JSON.stringify(decoded)).to.not.include(SECRET);
    });

    it('binds the Redis key as associated data: an entry copied to another key is refused', () => {
      const k1 = key('k1');
      const { value } = encodeEntry(entry, REDIS_KEY, [k1]);
      expect(decodeEntry(value, 'finauth:{other}:token', [k1])).to.include({ ok: false, reason: 'authentication-failed' });
    });

    it('refuses a tampered ciphertext', () => {
      const k1 = key('k1');
      const { value } = encodeEntry(entry, REDIS_KEY, [k1]);
      const parts = value.split(':');
      const body = Buffer.from(parts[4]!, 'base64url');
      body[0] = body[0]! ^ 1;
      parts[4] = body.toString('base64url');
      expect(decodeEntry(parts.join(':'), REDIS_KEY, [k1])).to.include({ ok: false, reason: 'authentication-failed' });
    });

    it('refuses garbage and foreign formats', () => {
      expect(decodeEntry('hello', REDIS_KEY, [key('k1')])).to.include({ ok: false, reason: 'malformed' });
      expect(decodeEntry('f1:e:k1:x', REDIS_KEY, [key('k1')])).to.include({ ok: false, reason: 'malformed' });
    });
  });

  describe('the plaintext opt-out', () => {
    it('round-trips without keys', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, []);
      expect(value.startsWith('f1:p:')).to.equal(true);
      const decoded = decodeEntry(value, REDIS_KEY, []);
      expect(decoded.ok && decoded.entry.token.accessToken).to.equal(SECRET);
    });

    it('is refused by an encrypting cache: a planted clear-text token is never served', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, []);
      expect(decodeEntry(value, REDIS_KEY, [key('k1')])).to.include({ ok: false, reason: 'plaintext-refused' });
    });

    it('cannot read encrypted entries', () => {
      const { value } = encodeEntry(entry, REDIS_KEY, [key('k1')]);
      expect(decodeEntry(value, REDIS_KEY, [])).to.include({ ok: false, reason: 'encrypted-refused' });
    });

    it('refuses a clear-text entry that is not a token', () => {
      const value = `f1:p:n:${Buffer.from(JSON.stringify({ t: { p: 'bank', a: '' }, r: 1, x: 2 })).toString('base64url')}`;
      expect(decodeEntry(value, REDIS_KEY, [])).to.include({ ok: false, reason: 'malformed' });
    });
  });
});
