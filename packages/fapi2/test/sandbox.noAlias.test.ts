import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { createFinauth, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { fapi2 } from '../src/index.js';
import { sandboxProvider } from './helpers/sandboxConfig.js';

describe('fapi2 against a sandbox OFP without an mTLS alias and with lenient audience rules', function () {
  let sandbox: Sandbox;
  let auth: Finauth | undefined;

  before(async () => {
    sandbox = await startSandbox({ mtlsAlias: 'none', assertionAudience: 'lenient' });
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    sandbox.ofp.log.clear();
  });

  it('posts to token_endpoint when no alias is advertised', async () => {
    expect(sandbox.ofp.mtlsTokenEndpoint).to.equal(undefined);
    const before = { ...sandbox.ofp.stats.tokenRequests };
    auth = createFinauth({ strategies: [fapi2()], providers: [sandboxProvider(sandbox, 'es256')] });
    await auth.getToken('es256');
    expect(sandbox.ofp.stats.tokenRequests.main).to.equal(before.main + 1);
    expect(sandbox.ofp.stats.tokenRequests.alias).to.equal(before.alias);
  });

  it('audience "token_endpoint" sends the token endpoint URL, which a non-FAPI-strict server accepts', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [sandboxProvider(sandbox, 'ps256', { clientAuth: { audience: 'token_endpoint' } })] });
    const token = await auth.getToken('ps256');
    expect((await sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    const post = sandbox.ofp.log.find((l) => l.method === 'POST' && l.path === '/token')!;
    expect(decodeJwt(new URLSearchParams(post.body).get('client_assertion')!).aud).to.equal(sandbox.ofp.tokenEndpoint);
  });

  it('skips discovery when tokenEndpoint is configured', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [sandboxProvider(sandbox, 'ps256', { tokenEndpoint: sandbox.ofp.tokenEndpoint })] });
    await auth.getToken('ps256');
    expect(sandbox.ofp.log.map((l) => `${l.method} ${l.path}`)).to.deep.equal(['POST /token']);
  });
});
