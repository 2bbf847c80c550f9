import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientSecretPost } from '@finauth-test/client-secret-post';
import { clientSecretBasic, clientSecretBasicProvider } from '@finauth/client-secret-basic';
import { ConfigError, createFinauth, type FinauthOptions } from '@finauth/core';
import { fapi2, fapi2Provider } from '@finauth/fapi2';
import { oauth2, oauth2Provider } from '@finauth/oauth2';
import { snapBi, snapBiProvider } from '@finauth/snap-bi';
import { generatePki } from '@finauth/sandbox';
import { expect } from 'chai';

/**
 * Provider configs written in TypeScript are checked by the compiler (the strategy packages register
 * their config types in core's ProviderConfigMap), and again at run time with a "did you mean".
 * Each `@ts-expect-error` below is a compile-time test: the build fails if the line compiles.
 */
const strategies = () => [fapi2(), clientSecretBasic(), oauth2(), snapBi(), clientSecretPost()];
const basic = { id: 'bnp', strategy: 'client_secret_basic', tokenEndpoint: 'https://127.0.0.1:8443/oauth2/v1/token', clientId: 'key', clientSecret: 'secret' } as const;
const fapi = { id: 'paynet', strategy: 'fapi2', issuer: 'https://127.0.0.1:8444', clientId: 'abc', clientAuth: { method: 'tls_client_auth' } } as const;

function issuesOf(options: FinauthOptions): string[] {
  try {
    void createFinauth(options).close();
  } catch (error) {
    expect(ConfigError.is(error), String(error)).to.equal(true);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return expect.fail('createFinauth accepted the config');
}

describe('typed provider configs', () => {
  it('a misspelt top-level provider field fails to compile, and at run time says what was meant', () => {
    const issues = issuesOf({
      strategies: strategies(),
      // @ts-expect-error `scpoe` is not a field of a client_secret_basic provider
      providers: [{ ...basic, scpoe: 'aisp' }],
    });
    expect(issues).to.deep.equal(['providers[0].scpoe: unknown field (did you mean "scope"?)']);
  });

  it('a misspelt nested field fails to compile (fapi2 clientAuth), and at run time says what was meant', () => {
    const issues = issuesOf({
      strategies: strategies(),
      // @ts-expect-error `signingkey` is not a field of clientAuth
      providers: [{ ...fapi, clientAuth: { method: 'private_key_jwt', signingkey: 'env:KEY' } }],
    });
    expect(issues).to.include('providers[0].clientAuth.signingkey: unknown field (did you mean "signingKey"?)');
  });

  it('a field of another strategy fails to compile (clientSecret on a fapi2 provider)', () => {
    const issues = issuesOf({
      strategies: strategies(),
      // @ts-expect-error fapi2 providers have no clientSecret
      providers: [{ ...fapi, clientSecret: 'x' }],
    });
    expect(issues).to.deep.equal(['providers[0].clientSecret: unknown field']);
  });

  it('a wrong value type fails to compile (timeoutMs as a string)', () => {
    const issues = issuesOf({
      strategies: strategies(),
      // @ts-expect-error timeoutMs is a number
      providers: [{ ...basic, timeoutMs: '5000' }],
    });
    expect(issues).to.deep.equal(['providers[0].timeoutMs: must be an integer number']);
  });

  it('the typed helpers reject a missing required field at compile time; at run time it "is required"', () => {
    // @ts-expect-error clientId is required
    const provider = clientSecretBasicProvider({ id: 'bnp', strategy: 'client_secret_basic', tokenEndpoint: basic.tokenEndpoint, clientSecret: 's' });
    expect(issuesOf({ strategies: strategies(), providers: [provider] })).to.deep.equal(['providers[0].clientId: is required']);
    // @ts-expect-error issuer is required
    const fapiMissing = fapi2Provider({ id: 'p', strategy: 'fapi2', clientId: 'abc', clientAuth: { method: 'tls_client_auth' } });
    expect(issuesOf({ strategies: strategies(), providers: [fapiMissing] })).to.deep.equal(['providers[0].issuer: is required']);
  });

  it('a valid typed config compiles and is accepted, through the helpers and as plain literals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finauth-typed-'));
    try {
      await validTypedConfig(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function validTypedConfig(dir: string): Promise<void> {
    const pki = await generatePki(dir);
    const tls = { cert: `file:${pki.clients.transport.cert}`, key: `file:${pki.clients.transport.key}` };
    const auth = createFinauth({
      strategies: strategies(),
      providers: [
        clientSecretBasicProvider({ ...basic, credentialEncoding: 'raw', retry: { maxRetries: 1 } }),
        fapi2Provider({ ...fapi, tls, scope: 'accounts' }),
        { id: 'post', strategy: 'client_secret_post', tokenEndpoint: 'https://127.0.0.1:8445/token', clientId: 'c', clientSecret: 's' },
      ],
    });
    expect(['bnp', 'paynet', 'post'].map((id) => auth.provider(id).strategy)).to.deep.equal(['client_secret_basic', 'fapi2', 'client_secret_post']);
    await auth.close();
  }

  it('oauth2 and snap_bi providers are typed too: a misspelt field fails to compile, and at run time says what was meant', () => {
    const generic = { id: 'okta', strategy: 'oauth2', issuer: 'https://127.0.0.1:8446', clientId: 'c', clientAuth: { method: 'client_secret_post', clientSecret: 's' } } as const;
    const oauthIssues = issuesOf({
      strategies: strategies(),
      // @ts-expect-error `profle` is not a field of an oauth2 provider
      providers: [{ ...generic, profle: 'okta' }],
    });
    expect(oauthIssues).to.deep.equal(['providers[0].profle: unknown field (did you mean "profile"?)']);
    // @ts-expect-error clientKey is required
    const snapMissing = snapBiProvider({ id: 'bank', strategy: 'snap_bi', tokenEndpoint: 'https://127.0.0.1:8447/snap/v1.0/access-token/b2b', privateKey: 'env:K' });
    expect(issuesOf({ strategies: strategies(), providers: [snapMissing] })).to.include('providers[0].clientKey: is required');
    // A valid oauth2 provider through its helper compiles and is accepted.
    const auth = createFinauth({ strategies: strategies(), providers: [oauth2Provider({ ...generic, tokenEndpoint: 'https://127.0.0.1:8446/token' })] });
    expect(auth.provider('okta').strategy).to.equal('oauth2');
    void auth.close();
  });

  it('a top-level option typo fails to compile and says what was meant', () => {
    // @ts-expect-error refreshSkewSecond is not an option
    const issues = issuesOf({ strategies: strategies(), providers: [basic], refreshSkewSecond: 30 });
    expect(issues).to.deep.equal(['refreshSkewSecond: unknown field (did you mean "refreshSkewSeconds"?)']);
  });
});
