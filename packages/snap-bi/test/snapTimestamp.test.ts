import { expect } from 'chai';
import { offsetMinutes, parseSnapTimestamp, snapTimestamp } from '../src/snapTimestamp.js';
import { accessTokenStringToSign } from '../src/stringToSign.js';

describe('snapTimestamp (X-TIMESTAMP)', () => {
  const instant = Date.UTC(2026, 10, 29, 10, 10, 15, 123);

  it('writes ISO 8601 local time with the offset, Jakarta time by default', () => {
    expect(snapTimestamp(instant)).to.equal('2026-11-29T17:10:15+07:00');
  });

  it('writes other offsets, negative and half-hour ones included', () => {
    expect(snapTimestamp(instant, '+08:00')).to.equal('2026-11-29T18:10:15+08:00');
    expect(snapTimestamp(instant, '-05:30')).to.equal('2026-11-29T04:40:15-05:30');
    expect(snapTimestamp(instant, '+00:00')).to.equal('2026-11-29T10:10:15+00:00');
  });

  it('crosses midnight into the local date', () => {
    expect(snapTimestamp(Date.UTC(2026, 11, 31, 20, 0, 0))).to.equal('2027-01-01T03:00:00+07:00');
  });

  it('adds milliseconds when asked', () => {
    expect(snapTimestamp(instant, '+07:00', 'milliseconds')).to.equal('2026-11-29T17:10:15.123+07:00');
  });

  it('parses back to the same instant (to the second)', () => {
    expect(parseSnapTimestamp('2026-11-29T17:10:15+07:00')).to.equal(Date.UTC(2026, 10, 29, 10, 10, 15));
    expect(parseSnapTimestamp('2026-11-29T17:10:15.123+07:00')).to.equal(instant);
    expect(parseSnapTimestamp('2026-11-29T10:10:15Z')).to.equal(undefined);
    expect(parseSnapTimestamp('2026-11-29 17:10:15+07:00')).to.equal(undefined);
  });

  it('refuses an offset that is not ±HH:MM', () => {
    for (const bad of ['07:00', '+7:00', '+0700', 'Z', '+15:00', '+07:60']) expect(() => offsetMinutes(bad), bad).to.throw(RangeError);
    expect(offsetMinutes('-05:30')).to.equal(-330);
  });
});

describe('accessTokenStringToSign', () => {
  it('is clientKey + "|" + X-TIMESTAMP, nothing else (no body hash, no method: that is the transaction signature)', () => {
    expect(accessTokenStringToSign('abc123', '2026-11-29T17:10:15+07:00')).to.equal('abc123|2026-11-29T17:10:15+07:00');
  });
});
