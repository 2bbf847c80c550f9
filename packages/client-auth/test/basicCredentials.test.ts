import { expect } from 'chai';
import fc from 'fast-check';
import { basicCredentials, formUrlEncode } from '../src/index.js';

/**
 * What an RFC-compliant server does with the header (RFC 7617 §2, RFC 6749 §2.3.1): base64-decode,
 * split at the first colon, form-urldecode each half. URLSearchParams is the WHATWG
 * `application/x-www-form-urlencoded` parser, an implementation independent of ours.
 */
function decodeFormUrlEncoded(credentials: string): { id: string; secret: string } {
  const pair = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  expect(colon, 'the decoded credentials contain a colon').to.be.greaterThan(-1);
  const formDecode = (v: string): string => new URLSearchParams(`v=${v}`).get('v') ?? '';
  return { id: formDecode(pair.slice(0, colon)), secret: formDecode(pair.slice(colon + 1)) };
}

/** What the BNP Paribas CIB gateway does: base64-decode and split at the first colon, nothing else. */
function decodeRaw(credentials: string): { id: string; secret: string } {
  const pair = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) };
}

const anyText = fc.string({ unit: 'binary', maxLength: 64 });
const UNRESERVED_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

describe('basicCredentials', () => {
  describe('form-urlencoded (RFC 6749 §2.3.1)', () => {
    it("gives the issue's known vector", () => {
      expect(basicCredentials('1PpG/Q 1', 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=')).to.equal(
        'MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==',
      );
    });

    it('is the default encoding', () => {
      expect(basicCredentials('a b', 'c:d')).to.equal(basicCredentials('a b', 'c:d', 'form-urlencoded'));
      expect(Buffer.from(basicCredentials('a b', 'c:d'), 'base64').toString()).to.equal('a+b:c%3Ad');
    });

    it('leaves a UUID client id exactly as it is (a gateway that never decodes still matches it)', () => {
      const id = '3f2b8c1e-9d4a-4c7b-a1e2-0f9e8d7c6b5a';
      expect(Buffer.from(basicCredentials(id, 's'), 'base64').toString()).to.equal(`${id}:s`);
    });
  });

  describe('formUrlEncode (RFC 6749 Appendix B)', () => {
    it('writes a space as "+" and a "+" as %2B', () => {
      expect(formUrlEncode('a b+c')).to.equal('a+b%2Bc');
    });

    it('keeps the RFC 3986 unreserved "-._~" and escapes what encodeURIComponent and URLSearchParams keep', () => {
      expect(formUrlEncode('-._~')).to.equal('-._~');
      // encodeURIComponent keeps !'()* ; URLSearchParams keeps * and escapes ~ : neither is the rule.
      expect(formUrlEncode("!'()*")).to.equal('%21%27%28%29%2A');
    });

    it('escapes every reserved and control byte with upper-case hex', () => {
      expect(formUrlEncode(':/?#[]@$&=;,%"\\\u0000\n')).to.equal('%3A%2F%3F%23%5B%5D%40%24%26%3D%3B%2C%25%22%5C%00%0A');
    });

    it('encodes non-ASCII characters as their UTF-8 bytes', () => {
      expect(formUrlEncode('é€😀')).to.equal('%C3%A9%E2%82%AC%F0%9F%98%80');
    });

    it('never escapes an unreserved character (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...UNRESERVED_CHARS) }), (s) => formUrlEncode(s) === s),
        { numRuns: 500 },
      );
    });

    it('produces only unreserved characters, "+" and %XX triplets, and keeps every unreserved character of the input (property)', () => {
      fc.assert(
        fc.property(anyText, (s) => {
          const encoded = formUrlEncode(s);
          expect(encoded).to.match(/^(?:[A-Za-z0-9\-._~+]|%[0-9A-F]{2})*$/);
          const keptInInput = [...s].filter((c) => UNRESERVED_CHARS.includes(c)).join('');
          const keptInOutput = encoded.replace(/%[0-9A-F]{2}|\+/g, '');
          expect(keptInOutput).to.equal(keptInInput);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('round trip through an RFC-compliant decoder', () => {
    it('gives back any unicode client id and secret, colons and all (property)', () => {
      fc.assert(
        fc.property(anyText, anyText, (id, secret) => {
          expect(decodeFormUrlEncoded(basicCredentials(id, secret, 'form-urlencoded'))).to.deep.equal({ id, secret });
        }),
        { numRuns: 1000 },
      );
    });

    it('raw: gives back any colon-free client id and any secret to a server that only base64-decodes (property)', () => {
      fc.assert(
        fc.property(anyText.filter((s) => !s.includes(':')), anyText, (id, secret) => {
          expect(decodeRaw(basicCredentials(id, secret, 'raw'))).to.deep.equal({ id, secret });
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('raw (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials")', () => {
    it('is base64(clientId + ":" + clientSecret), exactly as the pseudo code builds it', () => {
      const id = '1PpG/Q 1';
      const secret = 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=';
      expect(basicCredentials(id, secret, 'raw')).to.equal(Buffer.from(`${id}:${secret}`).toString('base64'));
      expect(basicCredentials(id, secret, 'raw')).to.equal('MVBwRy9RIDE6ei90WjlWd0ZacUFwbUlRK1pIMUk1cExrL3VCNHVkOlgyLzhiTCt3ZkZUdDFyRnc9');
    });

    it('sends non-ASCII characters as UTF-8 (RFC 7617 §2.1)', () => {
      expect(Buffer.from(basicCredentials('ü', 'ß', 'raw'), 'base64')).to.deep.equal(Buffer.from([0xc3, 0xbc, 0x3a, 0xc3, 0x9f]));
    });
  });
});
