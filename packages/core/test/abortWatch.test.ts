import { getEventListeners } from 'node:events';
import { expect } from 'chai';
import { watchAbort } from '../src/http/abortWatch.js';
import { promotedByScavenges } from './support/promotion.js';

describe('watchAbort', () => {
  it('calls every waiting callback once when the signal aborts, through one listener on the signal', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 100; i++) watchAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
    controller.abort();
    expect(calls).to.have.length(100);
    controller.abort();
    expect(calls).to.have.length(100);
  });

  it('does not call a callback whose watch was stopped (a request that ended before the abort)', () => {
    const controller = new AbortController();
    let ended = 0;
    let waiting = 0;
    const stop = watchAbort(controller.signal, () => ended++);
    watchAbort(controller.signal, () => waiting++);
    stop();
    controller.abort();
    expect(ended).to.equal(0);
    expect(waiting).to.equal(1);
  });

  it('keeps signals apart', () => {
    const a = new AbortController();
    const b = new AbortController();
    let onA = 0;
    let onB = 0;
    watchAbort(a.signal, () => onA++);
    watchAbort(b.signal, () => onB++);
    a.abort();
    expect([onA, onB]).to.deep.equal([1, 0]);
  });
});

describe('watchAbort under churn (requests joining and leaving, 16 at a time)', () => {
  it('keeps nothing of a request that stopped watching alive through scavenges', () => {
    const controller = new AbortController();
    const keep = watchAbort(controller.signal, () => undefined);
    // 4,000 requests of 4 KB each (16 MB): a Set rehashed under this churn promoted ~6 MB of them; what
    // is in flight at a scavenge (16 requests) may be promoted legitimately.
    const promoted = promotedByScavenges(() => {
      const live: Array<() => void> = [];
      for (let i = 0; i < 4000; i++) {
        const request = new Array<number>(512).fill(i);
        live.push(watchAbort(controller.signal, () => request.length));
        if (live.length > 16) live.shift()!();
      }
      while (live.length > 0) live.shift()!();
    });
    keep();
    expect(promoted, `${promoted} bytes promoted`).to.be.below(1536 * 1024);
  });

  it('still calls what waits when the signal aborts after heavy churn, in the order they joined', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => watchAbort(controller.signal, () => calls.push(i)));
    for (let i = 0; i < 50; i += 2) stops[i]!();
    stops[1]!();
    stops[1]!();
    controller.abort();
    expect(calls).to.deep.equal(Array.from({ length: 24 }, (_, k) => 2 * k + 3));
  });
});
