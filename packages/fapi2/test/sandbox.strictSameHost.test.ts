import { expect } from 'chai';
import { createFinauth, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { fapi2 } from '../src/index.js';
import { sandboxProvider } from './helpers/sandboxConfig.js';

describe('fapi2 against a strict sandbox OFP with the mTLS alias on the same host', function () {
  let sandbox: Sandbox;
  let auth: Finauth | undefined;

  before(async () => {
    // strict: every OP listener demands a client certificate in the handshake, and token requests
    // without x-fapi-interaction-id are refused: discovery working proves it ran over mTLS too.
    sandbox = await startSandbox({ strict: true, mtlsAlias: 'same-host' });
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    sandbox.ofp.log.clear();
  });

  it('discovers over mutual TLS and posts to the same-host alias path, not token_endpoint (RFC 8705 §5)', async () => {
    const alias = sandbox.ofp.mtlsTokenEndpoint!;
    expect(new URL(alias).host).to.equal(new URL(sandbox.ofp.tokenEndpoint).host);
    expect(alias).to.not.equal(sandbox.ofp.tokenEndpoint);
    const before = { ...sandbox.ofp.stats.tokenRequests };
    auth = createFinauth({ strategies: [fapi2()], providers: [sandboxProvider(sandbox, 'ps256')] });
    const token = await auth.getToken('ps256');
    expect((await sandbox.ofp.introspect(token.accessToken))['active']).to.equal(true);
    expect(sandbox.ofp.stats.tokenRequests.alias).to.equal(before.alias + 1);
    expect(sandbox.ofp.stats.tokenRequests.main).to.equal(before.main);
    expect(sandbox.ofp.log.map((l) => `${l.method} ${l.path}`)).to.include.members(['GET /.well-known/openid-configuration', `POST ${new URL(alias).pathname}`]);
  });

  it('gets a tls_client_auth token and reaches the resource through http()', async () => {
    auth = createFinauth({ strategies: [fapi2()], providers: [sandboxProvider(sandbox, 'tlsClientAuth')] });
    const response = await auth.http('tlsClientAuth').get(sandbox.ofp.resourceUrl);
    expect(response.status).to.equal(200);
    expect((response.data as { client_id?: string }).client_id).to.equal(sandbox.ofp.clients.tlsClientAuth.clientId);
  });
});
