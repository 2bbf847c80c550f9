import { expect } from 'chai';
import { backoffDelay } from '../src/http/backoff.js';
import { parseRetryAfter } from '../src/http/retryAfter.js';

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  it('reads delay-seconds', () => expect(parseRetryAfter('120', now)).to.equal(120_000));
  it('reads an HTTP-date relative to now', () => expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:30 GMT', now)).to.equal(30_000));
  it('clamps a date in the past to 0', () => expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).to.equal(0));
  it('ignores garbage and negatives', () => {
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter('-5', now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });
});

describe('backoffDelay', () => {
  const settings = { baseDelayMs: 200, maxDelayMs: 5000 };
  it('grows exponentially with jitter between half and all of the step', () => {
    expect(backoffDelay(0, settings, undefined, () => 0)).to.equal(100);
    expect(backoffDelay(0, settings, undefined, () => 1)).to.equal(200);
    expect(backoffDelay(3, settings, undefined, () => 1)).to.equal(1600);
  });
  it('never exceeds maxDelayMs', () => expect(backoffDelay(20, settings, undefined, () => 1)).to.equal(5000));
  it('waits at least what Retry-After asks', () => expect(backoffDelay(0, settings, 3000, () => 0)).to.equal(3000));
  it('gives up when Retry-After asks for more than maxDelayMs', () => expect(backoffDelay(0, settings, 6000, () => 0)).to.equal(undefined));
});
