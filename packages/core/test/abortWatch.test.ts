import { getEventListeners } from 'node:events';
import { expect } from 'chai';
import { watchAbort } from '../src/http/abortWatch.js';

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
