import { expect } from 'chai';
import fc from 'fast-check';
import { loadSigningKey, pemBodyLines } from '../src/signing/loadSigningKey.js';
import { rsaKey } from './helpers/keys.js';

/** The split before issue 14's creation work: a regular expression, then trim and filter passes. */
const reference = (pem: string): string[] =>
  pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));

describe('pemBodyLines (key fragments the redactor masks)', () => {
  it('gives every base64 line of a PEM key, LF or CRLF, and no armour line', () => {
    const pem = rsaKey().privatePem;
    const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    expect(pemBodyLines(pem)).to.deep.equal(body);
    expect(pemBodyLines(pem.replace(/\n/g, '\r\n'))).to.deep.equal(body);
    expect(body.length).to.be.greaterThan(20);
  });

  it('the loaded key lists them among its secret parts', () => {
    const pem = rsaKey().privatePem.replace(/\n/g, '\r\n');
    const loaded = loadSigningKey(pem, 'PS256');
    expect(loaded.issues).to.deep.equal([]);
    expect(loaded.key!.secretParts).to.include.members(reference(pem));
  });

  it('agrees with the regular-expression split for any text (property)', () => {
    const line = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('-----BEGIN PRIVATE KEY-----', '  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC  ', '\r', ' \t'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const text = lines.join(eol);
        expect(pemBodyLines(text)).to.deep.equal(reference(text));
      }),
      { numRuns: 500 },
    );
  });
});
