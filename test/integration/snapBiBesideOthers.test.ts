import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { snapBi } from '@finauth/snap-bi';
import { expect } from 'chai';
import { gatewayProvider, rejection, snapProvider } from '@finauth-test/support';
import { fapiKeyJwt } from '../support/providers.js';

/**
 * A strategy that is not OAuth on the wire (SNAP BI: JSON body, signed headers, camelCase answer)
 * in the same instance as OAuth strategies: each keeps its own wire format, cache entries and errors.
 */
describe('SNAP BI beside the OAuth strategies in one instance (real servers over TLS)', () => {
  let sb: Sandbox;
  let auth: Finauth;

  before(async () => {
    sb = await startSandbox();
    auth = createFinauth({ strategies: [fapi2(), clientSecretBasic(), snapBi()], providers: [fapiKeyJwt(sb), gatewayProvider(sb), snapProvider(sb)] });
  });
  after(async () => {
    await auth?.close();
    await sb?.stop();
  });

  it('gets a token from each: the OAuth ones send forms, the SNAP one its JSON body and signature', async () => {
    const [pkjwt, bnp, snap] = await Promise.all(['ofp-pkjwt', 'bnp', 'snap'].map((id) => auth.getToken(id)));
    expect(new Set([pkjwt!.accessToken, bnp!.accessToken, snap!.accessToken]).size).to.equal(3);
    expect(snap!.raw['responseCode']).to.equal('2007300');
    const snapSent = sb.snap.log.find((r) => r.path.startsWith('/snap/v1.0/access-token/b2b'));
    expect(snapSent?.body).to.equal('{"grantType":"client_credentials"}');
    expect(snapSent?.headers['x-signature']).to.be.a('string');
    const gatewaySent = sb.gateway.log.find((r) => r.path.startsWith('/oauth2/v1/token'));
    expect(gatewaySent?.headers['content-type']).to.equal('application/x-www-form-urlencoded');
    expect(gatewaySent?.headers['x-signature']).to.equal(undefined);
    expect(new URLSearchParams(gatewaySent?.body ?? '').get('grant_type')).to.equal('client_credentials');
  });

  it('calls each protected resource with its own token', async () => {
    const statuses = await Promise.all([
      auth.http('ofp-pkjwt').get(sb.ofp.resourceUrl).then((r) => r.status),
      auth.http('bnp').get(sb.gateway.helloUrl).then((r) => r.status),
      auth.http('snap').post(sb.snap.resourceUrl, {}).then((r) => r.status),
    ]);
    expect(statuses).to.deep.equal([200, 200, 200]);
  });

  it("a SNAP error stays SNAP-shaped and an OAuth error stays OAuth-shaped", async () => {
    sb.snap.faults.set({ kind: 'status', status: 401, body: { responseCode: '4017300', responseMessage: 'Unauthorized. Signature' }, times: 1 });
    sb.gateway.faults.set({ kind: 'status', status: 401, body: { error: 'invalid_client' }, times: 1 });
    const [snapError, bnpError] = await Promise.all([rejection(() => auth.getToken('snap', { forceRefresh: true })), rejection(() => auth.getToken('bnp', { forceRefresh: true }))]);
    expect(TokenEndpointError.is(snapError) && snapError.error).to.equal('4017300');
    expect(TokenEndpointError.is(bnpError) && bnpError.error).to.equal('invalid_client');
  });
});
