import { ConfigError, createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
// The package by its own name (Node's self-reference through "exports"), as its users import it.
import { myBank, myBankProvider } from '@acme/finauth-mybank';

/**
 * Against the sandbox's real authorization server over TLS on 127.0.0.1: its `post` client
 * authenticates with client_secret_post, which is what this strategy sends.
 */
describe('my_bank strategy', () => {
  let sb: Sandbox;
  const provider = (clientSecret = sb.ofp.clients.post.clientSecret) =>
    myBankProvider({
      id: 'mybank',
      strategy: 'my_bank',
      tokenEndpoint: sb.ofp.clients.post.tokenEndpoint,
      clientId: sb.ofp.clients.post.clientId,
      clientSecret,
      scope: 'accounts',
      tls: { ca: `file:${sb.pki.caCert}` },
      retry: { maxRetries: 0 },
    });

  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb?.stop();
  });

  async function withAuth(secret: string | undefined, run: (auth: Finauth) => Promise<void>): Promise<void> {
    const auth = createFinauth({ strategies: [myBank()], providers: [provider(secret)] });
    try {
      await run(auth);
    } finally {
      await auth.close();
    }
  }

  it('gets a token the server issued, and serves the second call from the cache', async () => {
    await withAuth(undefined, async (auth) => {
      // The post client lives on the sandbox's non-FAPI server, which counts as `basic`.
      const before = sb.ofp.stats.tokenRequests.basic;
      const token = await auth.getToken('mybank');
      expect(token.tokenType).to.equal('Bearer');
      expect(sb.ofp.stats.tokenRequests.basic, 'one request reached the server').to.equal(before + 1);
      expect((await auth.getToken('mybank')).accessToken).to.equal(token.accessToken);
      expect(sb.ofp.stats.tokenRequests.basic, 'the second call was served from the cache').to.equal(before + 1);
    });
  });

  it('a wrong secret is a TokenEndpointError 401 whose message does not contain the secret', async () => {
    await withAuth('not-the-secret-9f2c', async (auth) => {
      const error = await auth.getToken('mybank').then(() => undefined, (e: unknown) => e);
      expect(TokenEndpointError.is(error), String(error)).to.equal(true);
      expect((error as TokenEndpointError).status).to.equal(401);
      expect(String(error)).to.not.include('not-the-secret-9f2c');
    });
  });

  it('a misspelt field fails to compile, and is reported with the field it was meant to be', () => {
    const bad = () =>
      createFinauth({
        strategies: [myBank()],
        // @ts-expect-error `clientSecrets` is not a field of a my_bank provider
        providers: [{ id: 'mybank', strategy: 'my_bank', tokenEndpoint: 'https://127.0.0.1:1/token', clientId: 'c', clientSecret: 's', clientSecrets: 's' }],
      });
    expect(bad).to.throw(ConfigError, 'providers[0].clientSecrets: unknown field (did you mean "clientSecret"?)');
  });
});
