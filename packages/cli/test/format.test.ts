import { expect } from 'chai';
import { ConfigError } from '@finauth/core';
import { describeError } from '../src/describeError.js';
import { renderTable } from '../src/renderTable.js';
import { shortenToken } from '../src/shortenToken.js';

describe('CLI formatting', () => {
  it('shortenToken never shows a whole token', () => {
    const long = 'eyJhbGciOiJQUzI1NiJ9.payload.signature-part';
    expect(shortenToken(long)).to.equal('eyJhbG…part');
    expect(shortenToken('short-token-1234')).to.equal('shor…');
    expect(shortenToken('abc')).to.equal('abc…');
    for (const t of [long, 'short-token-1234', 'x'.repeat(24)]) expect(shortenToken(t)).to.not.equal(t);
  });

  it('renderTable pads every column to its widest cell', () => {
    const lines = renderTable(['a', 'bb'], [['long cell', 'x'], ['y', 'zzz']]);
    expect(lines).to.deep.equal(['a          bb', '---------  ---', 'long cell  x', 'y          zzz']);
  });

  it('describeError gives the message, class and code of a finauth error on one line', () => {
    const line = describeError(new ConfigError([{ path: 'providers[0].tls.key', message: 'does not match' }]));
    expect(line).to.equal('Invalid finauth configuration (1 issue): providers[0].tls.key: does not match (ConfigError, code FINAUTH_CONFIG)');
    expect(describeError(new TypeError('boom'))).to.equal('boom (TypeError)');
    expect(describeError('plain')).to.equal('plain');
  });
});
