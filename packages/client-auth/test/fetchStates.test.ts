import { expect } from 'chai';
import { FetchStates } from '../src/adaptation/FetchStates.js';

describe('FetchStates', () => {
  it('keeps the state of the latest fetch and of an older one still running', () => {
    const states = new FetchStates<string>();
    const a = {};
    const b = {};
    states.set(a, 'a1');
    states.set(b, 'b1');
    expect(states.get(a)).to.equal('a1');
    expect(states.get(b)).to.equal('b1');
    states.set(a, 'a2');
    states.set(b, 'b2');
    expect([states.get(a), states.get(b)]).to.deep.equal(['a2', 'b2']);
  });

  it('forgets a fetch once done, whether it was the latest or an older one', () => {
    const states = new FetchStates<string>();
    const a = {};
    const b = {};
    states.set(a, 'a');
    states.set(b, 'b');
    states.done(a);
    expect(states.get(a)).to.equal(undefined);
    states.done(b);
    const c = {};
    states.set(c, 'c');
    expect(states.get(b)).to.equal(undefined);
    expect(states.get(c)).to.equal('c');
  });

  it('does not keep a finished latest fetch when the next one starts', () => {
    const states = new FetchStates<string>();
    const a = {};
    states.set(a, 'a');
    states.done(a);
    states.set({}, 'next');
    expect(states.get(a)).to.equal(undefined);
  });
});
