import { clientSecretPost } from '@finauth-test/client-secret-post';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { ConfigError, createFinauth, FinauthError, TokenEndpointError, TransportError, type Finauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { gatewayProvider, ofpPostProvider, QUICK_RETRY, rejection } from '@finauth-test/support';
import { fapiKeyJwt, fapiTlsAuth } from '../support/providers.js';

/**
 * One finauth instance serving every strategy at once — the two shipped ones and one plugged in from
 * a package outside finauth (test/plugins/client-secret-post) — against the sandbox's real
 * authorization servers, over TLS on 127.0.0.1.
 */
describe('one instance, every strategy (real servers over TLS)', () => {
  let sb: Sandbox;
  let auth: Finauth;

  const postProvider = (extra: Record<string, unknown> = {}): Record<string, unknown> => ofpPostProvider(sb, extra);

  before(async () => {
    sb = await startSandbox();
    auth = createFinauth({
      strategies: [fapi2(), clientSecretBasic(), clientSecretPost()],
      providers: [fapiKeyJwt(sb), fapiTlsAuth(sb), gatewayProvider(sb), postProvider()],
    });
  });

  after(async () => {
    await auth?.close();
    await sb?.stop();
  });

  it('gets a token from each provider, each one certificate-bound where FAPI requires it', async () => {
    const [pkjwt, mtls, bnp, post] = await Promise.all(['ofp-pkjwt', 'ofp-mtls', 'bnp', 'plugin-post'].map((id) => auth.getToken(id)));
    for (const t of [pkjwt!, mtls!]) {
      const info = await sb.ofp.introspect(t.accessToken);
      expect(info['active']).to.equal(true);
      expect(info['cnf'], 'FAPI 2.0 tokens are bound to the transport certificate').to.have.property('x5t#S256');
    }
    expect(bnp!.tokenType).to.equal('Bearer');
    expect(post!.scope).to.deep.equal(['accounts']);
    expect(new Set([pkjwt!.accessToken, mtls!.accessToken, bnp!.accessToken, post!.accessToken]).size).to.equal(4);
  });

  it('calls every protected resource through http() with its own token', async () => {
    const fapi = await auth.http('ofp-pkjwt').get(sb.ofp.resourceUrl);
    const tls = await auth.http('ofp-mtls').get(sb.ofp.resourceUrl);
    const bnp = await auth.http('bnp').get(sb.gateway.helloUrl);
    expect([fapi.status, tls.status, bnp.status]).to.deep.equal([200, 200, 200]);
  });

  it('serves a second call from the cache: no request reaches any server', async () => {
    await Promise.all(['ofp-pkjwt', 'ofp-mtls', 'bnp', 'plugin-post'].map((id) => auth.getToken(id)));
    const before = { ...sb.ofp.stats.tokenRequests, gateway: sb.gateway.stats.tokenRequests };
    const again = await Promise.all(['ofp-pkjwt', 'ofp-mtls', 'bnp', 'plugin-post'].map((id) => auth.getToken(id)));
    expect({ ...sb.ofp.stats.tokenRequests, gateway: sb.gateway.stats.tokenRequests }).to.deep.equal(before);
    expect(again).to.have.length(4);
  });

  it('keeps tokens per scope set: a payments token is never served for accounts', async () => {
    const accounts = await auth.getToken('ofp-pkjwt', { scope: 'accounts' });
    const payments = await auth.getToken('ofp-pkjwt', { scope: 'payments' });
    expect(payments.accessToken).to.not.equal(accounts.accessToken);
    expect(payments.scope).to.deep.equal(['payments']);
    expect((await auth.getToken('ofp-pkjwt', { scope: 'accounts' })).accessToken).to.equal(accounts.accessToken);
  });

  it('reports a wrong secret of the plug-in strategy as invalid_client, once, without the secret', async () => {
    const secret = 'plugin-wrong-secret-4711';
    const other = createFinauth({ strategies: [clientSecretPost()], providers: [postProvider({ clientSecret: secret })] });
    try {
      const sent = sb.ofp.stats.tokenRequests.basic;
      const e = await rejection(() => other.getToken('plugin-post'));
      expect(TokenEndpointError.is(e)).to.equal(true);
      const err = e as TokenEndpointError;
      expect(err.status).to.equal(401);
      expect(err.error).to.equal('invalid_client');
      expect(sb.ofp.stats.tokenRequests.basic - sent, 'a rejected client is not retried').to.equal(1);
      expect(JSON.stringify(err) + err.message + (err.stack ?? '')).to.not.contain(secret);
    } finally {
      await other.close();
    }
  });

  it('refuses a server it has no trust anchor for with a TransportError, never a token', async () => {
    const { tls: _tls, ...noCa } = gatewayProvider(sb);
    const other = createFinauth({ strategies: [clientSecretBasic()], providers: [noCa] });
    try {
      const sent = sb.gateway.stats.tokenRequests;
      const e = await rejection(() => other.getToken('bnp'));
      expect(TransportError.is(e)).to.equal(true);
      expect((e as TransportError).reason).to.equal('tls');
      expect(sb.gateway.stats.tokenRequests, 'no request left the client').to.equal(sent);
    } finally {
      await other.close();
    }
  });

  it('refuses an unknown strategy name and names the ones it knows', async () => {
    const e = await rejection(async () => createFinauth({ strategies: [fapi2()], providers: [postProvider()] }));
    expect(ConfigError.is(e)).to.equal(true);
    expect((e as ConfigError).issues.map((i) => i.path)).to.include('providers[0].strategy');
    expect((e as Error).message).to.contain('fapi2');
  });

  it('rejects every call after close() with a ConfigError, and close() twice is harmless', async () => {
    const other = createFinauth({ strategies: [clientSecretBasic()], providers: [gatewayProvider(sb)] });
    await other.getToken('bnp');
    await other.close();
    await other.close();
    const e = await rejection(() => other.getToken('bnp'));
    expect(FinauthError.is(e) && ConfigError.is(e)).to.equal(true);
  });
});
