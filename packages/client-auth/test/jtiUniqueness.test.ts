import { createPrivateKey } from 'node:crypto';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { ASSERTION_LIFETIME_SECONDS, JoseSigner, PrivateKeyJwt } from '../src/index.js';
import { ecKey } from './helpers/keys.js';

const COUNT = 100_000;

/**
 * Issue 7: 100,000 client assertions, built and signed the way every token request builds them,
 * carry 100,000 distinct `jti` (RFC 7523 §3: the server may reject a reused one as a replay) and
 * none lives longer than the configured 60 s.
 */
describe('private_key_jwt: 100,000 assertions', () => {
  it('carry 100,000 distinct jti, each valid for at most 60 s', async function () {
    this.timeout(120_000);
    const key = ecKey();
    const auth = new PrivateKeyJwt(new JoseSigner(createPrivateKey(key.privatePem), 'ES256'), { clientId: 'c', issuer: 'https://as.example', audience: 'issuer' });
    const seen = new Set<string>();
    let longest = 0;
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < COUNT; i++) {
      const body = new URLSearchParams();
      await auth.apply({ url: '', headers: {}, body }, { nowSeconds: now + (i % 7), tokenEndpoint: 'https://as.example/token' });
      const claims = decodeJwt(body.get('client_assertion')!);
      seen.add(String(claims.jti));
      longest = Math.max(longest, (claims.exp ?? Infinity) - (claims.iat ?? 0));
      expect(claims.nbf).to.equal(claims.iat);
    }
    expect(seen.size).to.equal(COUNT);
    expect(longest).to.equal(ASSERTION_LIFETIME_SECONDS);
  });
});
