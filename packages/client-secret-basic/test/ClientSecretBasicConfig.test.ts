import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createFinauth, type Finauth } from '@finauth/core';
import { expect } from 'chai';
import { clientSecretBasic } from '../src/index.js';
import { json, ScriptedTransports } from './support/scriptedTransport.js';

const SECRET = 'z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=';
const valid = Object.freeze({
  id: 'bnp',
  strategy: 'client_secret_basic',
  tokenEndpoint: 'https://127.0.0.1:8443/oauth2/v1/token',
  clientId: 'consumer-key',
  clientSecret: SECRET,
});

function configError(provider: Record<string, unknown>): ConfigError {
  try {
    const auth = createFinauth({ strategies: [clientSecretBasic()], providers: [provider], transportFactory: new ScriptedTransports(json(500, {})) });
    void auth.close();
  } catch (error) {
    expect(ConfigError.is(error), String(error)).to.equal(true);
    return error as ConfigError;
  }
  expect.fail('createFinauth accepted an invalid provider');
}

describe('ClientSecretBasicConfig', () => {
  it('accepts the documented example shape', async () => {
    const auth: Finauth = createFinauth({
      strategies: [clientSecretBasic()],
      providers: [{ ...valid, scope: 'aisp pisp', credentialEncoding: 'form-urlencoded' as const, timeoutMs: 5000, retry: { maxRetries: 1 } }],
      transportFactory: new ScriptedTransports(json(500, {})),
    });
    expect(auth.provider('bnp')).to.deep.equal({ id: 'bnp', strategy: 'client_secret_basic', authMethod: 'client_secret_basic', scope: 'aisp pisp' });
    await auth.close();
  });

  for (const [what, tokenEndpoint] of [
    ['an http URL', 'http://127.0.0.1:8443/oauth2/v1/token'],
    ['not a URL', 'token endpoint'],
    ['a URL with user info', 'https://user:pw@127.0.0.1/token'],
    ['a URL with a fragment (RFC 6749 §3.2)', 'https://127.0.0.1/token#x'],
    ['not a string', 443],
  ] as const) {
    it(`rejects a tokenEndpoint that is ${what}`, () => {
      const error = configError({ ...valid, tokenEndpoint });
      expect(error.issues.map((i) => i.path)).to.deep.equal(['providers[0].tokenEndpoint']);
    });
  }

  it('requires tokenEndpoint, clientId and clientSecret, reporting all at once', () => {
    const error = configError({ id: 'bnp', strategy: 'client_secret_basic' });
    expect(error.issues.map((i) => i.path).sort()).to.deep.equal(['providers[0].clientId', 'providers[0].clientSecret', 'providers[0].tokenEndpoint']);
  });

  it('rejects an empty clientId and an empty clientSecret', () => {
    const error = configError({ ...valid, clientId: '', clientSecret: '' });
    expect(error.issues.map((i) => i.path).sort()).to.deep.equal(['providers[0].clientId', 'providers[0].clientSecret']);
  });

  it('rejects an unknown credentialEncoding, naming the allowed ones', () => {
    const error = configError({ ...valid, credentialEncoding: 'base64' });
    expect(error.issues).to.have.length(1);
    expect(error.issues[0]!.path).to.equal('providers[0].credentialEncoding');
    expect(error.issues[0]!.message).to.contain('form-urlencoded').and.contain('raw');
  });

  it('rejects a clientId containing ":" with raw encoding (RFC 7617 §2), but not with form-urlencoded', async () => {
    const error = configError({ ...valid, clientId: 'tenant:app', credentialEncoding: 'raw' });
    expect(error.issues.map((i) => i.path)).to.deep.equal(['providers[0].clientId']);
    expect(error.issues[0]!.message).to.contain('raw');
    const auth = createFinauth({ strategies: [clientSecretBasic()], providers: [{ ...valid, clientId: 'tenant:app' }], transportFactory: new ScriptedTransports(json(500, {})) });
    await auth.close();
  });

  it('rejects a lone surrogate, which cannot be sent as UTF-8', () => {
    const error = configError({ ...valid, clientId: 'ab\uD800c', clientSecret: 'secret\uDC00value' });
    expect(error.issues.map((i) => i.path).sort()).to.deep.equal(['providers[0].clientId', 'providers[0].clientSecret']);
  });

  it('reports an unknown field (a typo of credentialEncoding)', () => {
    const error = configError({ ...valid, credentialsEncoding: 'raw' });
    expect(error.issues.map((i) => i.path)).to.deep.equal(['providers[0].credentialsEncoding']);
  });

  it('never puts the secret value into a ConfigError', () => {
    const error = configError({ ...valid, clientSecret: SECRET, clientId: 'a:b', credentialEncoding: 'raw', tokenEndpoint: 'http://x' });
    expect(error.issues.length).to.equal(2);
    for (const text of [error.message, JSON.stringify(error), String(error.stack)]) expect(text).not.to.contain(SECRET);
  });

  describe('clientSecret references', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'finauth-basic-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function sentCredentials(clientSecret: string, extra: Record<string, unknown> = {}): Promise<string> {
      const transports = new ScriptedTransports(json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 }));
      const auth = createFinauth({ strategies: [clientSecretBasic()], providers: [{ ...valid, clientSecret }], transportFactory: transports, baseDir: dir, ...extra });
      try {
        await auth.getToken('bnp');
      } finally {
        await auth.close();
      }
      return Buffer.from(transports.requests[0]!.headers['authorization']!.replace(/^Basic /, ''), 'base64').toString();
    }

    it('resolves env: before building the header', async () => {
      process.env['FINAUTH_TEST_BASIC_SECRET'] = 'from env';
      try {
        expect(await sentCredentials('env:FINAUTH_TEST_BASIC_SECRET')).to.equal('consumer-key:from+env');
      } finally {
        delete process.env['FINAUTH_TEST_BASIC_SECRET'];
      }
    });

    it("resolves file: and drops the file's trailing newline", async () => {
      writeFileSync(join(dir, 'secret.txt'), 'from-file\n');
      expect(await sentCredentials('file:secret.txt')).to.equal('consumer-key:from-file');
    });

    it('rejects a file: secret that is empty once read', () => {
      writeFileSync(join(dir, 'empty.txt'), '\n');
      const error = (() => {
        try {
          createFinauth({ strategies: [clientSecretBasic()], providers: [{ ...valid, clientSecret: 'file:empty.txt' }], transportFactory: new ScriptedTransports(json(500, {})), baseDir: dir });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(ConfigError.is(error)).to.equal(true);
      expect((error as ConfigError).issues.map((i) => i.path)).to.deep.equal(['providers[0].clientSecret']);
    });
  });
});
