import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { createFinauth, type Finauth } from '@finauth/core';
import { fapiProvider, sandboxSuite } from '@finauth-test/support';
import { fapi2 } from '../src/index.js';

describe('fapi2 against a sandbox OFP without an mTLS alias and with lenient audience rules', function () {
  const suite = sandboxSuite({ mtlsAlias: 'none', assertionAudience: 'lenient' });
  let auth: Finauth | undefined;

  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  it('posts to token_endpoint when no alias is advertised', async () => {
    expect(suite.sandbox.ofp.mtlsTokenEndpoint).to.equal(undefined);
    const before = { ...suite.sandbox.ofp.stats.tokenRequests };
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'es256')] });
    await auth.getToken('es256');
    expect(suite.sandbox.ofp.stats.tokenRequests.main).to.equal(before.main + 1);
    expect(suite.sandbox.ofp.stats.tokenRequests.alias).to.equal(before.alias);
  });

  it('audience "token_endpoint" sends the token endpoint URL, which a non-FAPI-strict server accepts', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'ps256', { clientAuth: { audience: 'token_endpoint' } })] });
    const token = await auth.getToken('ps256');
    expect((await suite.sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    const post = suite.sandbox.ofp.log.find((l) => l.method === 'POST' && l.path === '/token')!;
    expect(decodeJwt(new URLSearchParams(post.body).get('client_assertion')!).aud).to.equal(suite.sandbox.ofp.tokenEndpoint);
  });

  it('skips discovery when tokenEndpoint is configured', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'ps256', { tokenEndpoint: suite.sandbox.ofp.tokenEndpoint })] });
    await auth.getToken('ps256');
    expect(suite.sandbox.ofp.log.map((l) => `${l.method} ${l.path}`)).to.deep.equal(['POST /token']);
  });
});
