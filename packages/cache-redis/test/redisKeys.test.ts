import { expect } from 'chai';
import { readyChannel, redisKeys } from '../src/index.js';

describe('redisKeys', () => {
  const coreKey = 'finauth:AbCdEfGhIjKlMnOpQrStUv:accounts payments';

  it('puts token and lease under one {hash tag} (one Cluster slot) behind the prefix', () => {
    const k = redisKeys('svc:', coreKey);
    expect(k.token).to.equal(`svc:{${k.slot}}:token`);
    expect(k.lease).to.equal(`svc:{${k.slot}}:lease`);
    expect(k.slot).to.match(/^[A-Za-z0-9_-]{43}$/); // SHA-256, base64url
  });

  it('never carries scope text or the identity into Redis', () => {
    const k = redisKeys('svc:', coreKey);
    expect(k.token).to.not.include('accounts');
    expect(k.token).to.not.include('AbCdEf');
  });

  it('gives every identity and scope set its own key', () => {
    const a = redisKeys('p:', coreKey).token;
    expect(redisKeys('p:', 'finauth:AbCdEfGhIjKlMnOpQrStUw:accounts payments').token).to.not.equal(a);
    expect(redisKeys('p:', 'finauth:AbCdEfGhIjKlMnOpQrStUv:accounts').token).to.not.equal(a);
    expect(redisKeys('p:', coreKey).token).to.equal(a);
    expect(readyChannel('p:')).to.equal('p:ready');
  });
});
