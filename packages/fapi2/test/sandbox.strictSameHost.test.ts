import { expect } from 'chai';
import { createFinauth, type Finauth } from '@finauth/core';
import { fapiProvider, sandboxSuite } from '@finauth-test/support';
import { fapi2 } from '../src/index.js';

describe('fapi2 against a strict sandbox OFP with the mTLS alias on the same host', function () {
  // strict: every OP listener demands a client certificate in the handshake, and token requests
  // without x-fapi-interaction-id are refused: discovery working proves it ran over mTLS too.
  const suite = sandboxSuite({ strict: true, mtlsAlias: 'same-host' });
  let auth: Finauth | undefined;

  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  it('discovers over mutual TLS and posts to the same-host alias path, not token_endpoint (RFC 8705 §5)', async () => {
    const alias = suite.sandbox.ofp.mtlsTokenEndpoint!;
    expect(new URL(alias).host).to.equal(new URL(suite.sandbox.ofp.tokenEndpoint).host);
    expect(alias).to.not.equal(suite.sandbox.ofp.tokenEndpoint);
    const before = { ...suite.sandbox.ofp.stats.tokenRequests };
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'ps256')] });
    const token = await auth.getToken('ps256');
    expect((await suite.sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    expect(suite.sandbox.ofp.stats.tokenRequests.alias).to.equal(before.alias + 1);
    expect(suite.sandbox.ofp.stats.tokenRequests.main).to.equal(before.main);
    expect(suite.sandbox.ofp.log.map((l) => `${l.method} ${l.path}`)).to.include.members(['GET /.well-known/openid-configuration', `POST ${new URL(alias).pathname}`]);
  });

  it('gets a tls_client_auth token and reaches the resource through http()', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'tlsClientAuth')] });
    const response = await auth.http('tlsClientAuth').get(suite.sandbox.ofp.resourceUrl);
    expect(response.status).to.equal(200);
    expect((response.data as { client_id?: string }).client_id).to.equal(suite.sandbox.ofp.clients.tlsClientAuth.clientId);
  });
});
