import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { pemBodyLines } from '../src/observability/pemBodyLines.js';
import { Redactor } from '../src/observability/Redactor.js';

/** The split client-auth used before issue 14's creation work: a regular expression, then trim and filter passes. */
const reference = (pem: string): string[] =>
  pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));

const rsaPem = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('PEM secrets in the redactor', () => {
  it('pemBodyLines gives every base64 line of a PEM key, LF or CRLF, and no armour line', () => {
    const pem = rsaPem();
    const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    expect(body.length).to.be.greaterThan(20);
    expect(pemBodyLines(pem)).to.deep.equal(body);
    expect(pemBodyLines(pem.replace(/\n/g, '\r\n'))).to.deep.equal(body);
  });

  it('pemBodyLines agrees with the regular-expression split for any text (property)', () => {
    const line = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('-----BEGIN PRIVATE KEY-----', '  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC  ', '\r', ' \t'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const text = lines.join(eol);
        expect(pemBodyLines(text)).to.deep.equal(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('masks a PEM secret whole and each of its lines alone, LF or CRLF; other secrets as before', () => {
    const pem = rsaPem();
    for (const given of [pem, pem.replace(/\n/g, '\r\n')]) {
      const redactor = new Redactor([given, 'client-secret-value', 'short']);
      expect(redactor.scrub(`key: ${given}`)).to.equal('key: [REDACTED]');
      for (const line of reference(given)) expect(redactor.scrub(`the server said ${line}.`)).to.equal('the server said [REDACTED].');
      expect(redactor.scrub('client-secret-value and short')).to.equal('[REDACTED] and short');
    }
  });

  it('does not split a secret that is not PEM text', () => {
    const secret = 'a long secret value\nwith a second line of text';
    const redactor = new Redactor([secret]);
    expect(redactor.scrub('with a second line of text')).to.equal('with a second line of text');
    expect(redactor.scrub(secret)).to.equal('[REDACTED]');
  });
});
