import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { ConfigError, createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { generatePki, type Pki } from '@finauth/sandbox';
import { expect } from 'chai';

type Json = Record<string, unknown>;

const PASSPHRASE = 'hostile-table-passphrase';
const STRATEGIES = ['fapi2 private_key_jwt', 'fapi2 tls_client_auth', 'client_secret_basic', 'client_secret_basic mTLS'] as const;

/** `config` with the value at a dotted path replaced (or removed with `undefined`). */
function withField(config: Json, path: string, value: unknown): Json {
  const copy = structuredClone(config);
  const parts = path.split('.');
  let target = copy;
  for (const part of parts.slice(0, -1)) target = target[part] as Json;
  const last = parts.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function valueAt(config: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Json)[k], config);
}

function fieldsOf(config: Json, prefix = ''): string[] {
  return Object.entries(config).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? [path, ...fieldsOf(v as Json, path)] : [path];
  });
}

function objectsOf(config: Json, prefix = ''): string[] {
  return [prefix, ...Object.entries(config).flatMap(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? objectsOf(v as Json, prefix ? `${prefix}.${k}` : k) : []))];
}

/**
 * Issue 7: every field of every shipped strategy, given each kind of bad value, is a ConfigError
 * thrown by createFinauth that names the field's path — never a crash, never silently accepted.
 */
describe('hostile and broken config (every field of every strategy)', () => {
  let dir: string;
  let pki: Pki;
  const files: Record<string, string> = {};
  const bases: Record<string, Json> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finauth-hostile-'));
    pki = await generatePki(dir);
    const write = (name: string, content: string): string => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return `file:${path}`;
    };
    const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
    files['pkcs1'] = write('pkcs1.pem', rsa(2048).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    files['rsa1024'] = write('rsa1024.pem', rsa(1024).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    files['publicKey'] = write('public.pem', rsa(2048).publicKey.export({ type: 'spki', format: 'pem' }).toString());
    files['notPem'] = write('not-pem.txt', 'this is not a PEM file\n');
    files['certificate'] = `file:${pki.clients.transport.cert}`;
    files['missing'] = `file:${join(dir, 'does-not-exist.pem')}`;
    // The transport key, encrypted: makes tls.passphrase a field that matters.
    const encrypted = createPrivateKey(readFileSync(pki.clients.transport.key)).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });
    files['encryptedKey'] = write('transport-encrypted.pem', encrypted.toString());
    const common = { timeoutMs: 2000, retry: { maxRetries: 1, maxDelayMs: 1000, baseDelayMs: 10 } };
    bases['fapi2 private_key_jwt'] = {
      id: 'f',
      strategy: 'fapi2',
      issuer: 'https://127.0.0.1:9',
      clientId: 'client-1',
      clientAuth: { method: 'private_key_jwt', signingKey: `file:${pki.signing.ps256.key}`, alg: 'PS256', kid: 'k1', audience: 'issuer' },
      tls: { cert: `file:${pki.clients.transport.cert}`, key: `file:${pki.clients.transport.key}`, ca: `file:${pki.caCert}` },
      scope: 'accounts',
      fapiHeaders: { authDate: 'Sun, 10 Sep 2017 19:43:31 GMT', customerIpAddress: '10.0.0.1', customerUserAgent: 'hostile-table/1.0' },
      ...common,
    };
    const tlsWithPassphrase = { cert: `file:${pki.clients.transport.cert}`, key: files['encryptedKey'], passphrase: PASSPHRASE, ca: `file:${pki.caCert}` };
    bases['fapi2 tls_client_auth'] = { ...withField(bases['fapi2 private_key_jwt']!, 'clientAuth', { method: 'tls_client_auth' }), tokenEndpoint: 'https://127.0.0.1:9/token', tls: tlsWithPassphrase };
    bases['client_secret_basic'] = {
      id: 'b',
      strategy: 'client_secret_basic',
      tokenEndpoint: 'https://127.0.0.1:9/oauth2/v1/token',
      clientId: 'consumer-key',
      clientSecret: 'consumer-secret-value',
      scope: 'aisp',
      credentialEncoding: 'raw',
      tls: { ca: `file:${pki.caCert}` },
      ...common,
    };
    // A gateway that also wants mutual TLS: every tls.* field of client_secret_basic.
    bases['client_secret_basic mTLS'] = { ...bases['client_secret_basic'], tls: tlsWithPassphrase };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function create(provider: Json): unknown {
    try {
      void createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers: [provider] }).close();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  /**
   * Asserts a ConfigError with an issue at `path` (or under it), or — when a field is only wrong
   * with respect to another (an empty passphrase for an encrypted key) — an issue whose message names it.
   */
  function expectIssueAt(provider: Json, path: string, what: string): void {
    const error = create(provider);
    expect(ConfigError.is(error), `${what}: expected a ConfigError, got ${String(error)}`).to.equal(true);
    const issues = (error as ConfigError).issues;
    const want = `providers[0]${path ? `.${path}` : ''}`;
    const atPath = issues.some((i) => i.path === want || i.path.startsWith(`${want}.`) || i.path.startsWith(`${want}[`));
    const named = path.includes('.') && issues.some((i) => i.path.startsWith('providers[0].') && i.message.includes(path));
    expect(atPath || named, `${what}: issues ${JSON.stringify(issues)}; wanted ${want}`).to.equal(true);
  }

  it('the base configs are valid (so each failure below is about the one change)', () => {
    for (const [name, base] of Object.entries(bases)) expect(create(base), name).to.equal(undefined);
  });

  for (const name of STRATEGIES) {
    describe(name, () => {
      it('every field with a wrong type (a number for a string, a string for a number, an array or a string for an object)', () => {
        const base = bases[name]!;
        for (const field of fieldsOf(base)) {
          const current = valueAt(base, field);
          const wrongs = current !== null && typeof current === 'object' ? [[], 'an object was expected'] : typeof current === 'number' ? ['ten'] : [12345];
          for (const wrong of wrongs) expectIssueAt(withField(base, field, wrong), field, `${field} = ${JSON.stringify(wrong)}`);
        }
      });

      it('every field empty: "" for a string, -1 for a number, {} for an object with a required field', () => {
        const base = bases[name]!;
        for (const field of fieldsOf(base)) {
          const current = valueAt(base, field);
          const isObject = current !== null && typeof current === 'object';
          // retry's and fapiHeaders' fields are all optional, and so is every TLS field when the strategy needs no client certificate.
          if (isObject && (field === 'retry' || field === 'fapiHeaders' || (field === 'tls' && name.startsWith('client_secret_basic')))) {
            expect(create(withField(base, field, {})), `${field}: {} is valid`).to.equal(undefined);
            continue;
          }
          const empty = isObject ? {} : typeof current === 'number' ? -1 : '';
          expectIssueAt(withField(base, field, empty), field, `${field} empty`);
        }
      });

      it('an unknown key at every level is reported, not ignored', () => {
        const base = bases[name]!;
        for (const object of objectsOf(base)) {
          const path = object ? `${object}.colour` : 'colour';
          expectIssueAt(withField(base, path, 'blue'), path, `unknown key ${path}`);
        }
      });

      it('every file reference to a path that does not exist', () => {
        const base = bases[name]!;
        for (const field of fieldsOf(base).filter((f) => String(valueAt(base, f)).startsWith('file:'))) {
          expectIssueAt(withField(base, field, files['missing']), field, `${field} missing file`);
        }
      });
    });
  }

  const keyFields: [string, string][] = [
    ['fapi2 private_key_jwt', 'clientAuth.signingKey'],
    ['fapi2 private_key_jwt', 'tls.key'],
    ['fapi2 tls_client_auth', 'tls.key'],
    ['client_secret_basic mTLS', 'tls.key'],
  ];
  for (const [name, field] of keyFields) {
    it(`${name} ${field}: a PEM that is not a key, a certificate, not PEM at all, a PKCS#1 key, an RSA-1024 key`, () => {
      const base = bases[name]!;
      for (const bad of ['publicKey', 'certificate', 'notPem', 'pkcs1', 'rsa1024'] as const) {
        // A 1024-bit RSA key is a valid TLS key to OpenSSL as long as it matches its certificate; for
        // tls.key the mismatch with tls.cert is what must be reported.
        expectIssueAt(withField(base, field, files[bad]), field, `${field} = ${bad}`);
      }
    });
  }

  for (const name of ['fapi2 tls_client_auth', 'client_secret_basic mTLS'] as const) {
    it(`${name} tls.cert: an expired certificate (with its own key), a key instead of a certificate, not PEM`, () => {
      const base = withField(bases[name]!, 'tls.passphrase', undefined);
      const expired = withField(withField(base, 'tls.cert', `file:${pki.clients.expired.cert}`), 'tls.key', `file:${pki.clients.expired.key}`);
      expectIssueAt(expired, 'tls.cert', 'expired certificate');
      const error = create(expired) as ConfigError;
      expect(error.issues.find((i) => i.path === 'providers[0].tls.cert')?.message).to.match(/^expired on \d{4}-/);
      expectIssueAt(withField(base, 'tls.cert', `file:${pki.clients.transport.key}`), 'tls.cert', 'a key as the certificate');
      expectIssueAt(withField(base, 'tls.cert', files['notPem']), 'tls.cert', 'not PEM');
    });

    it(`${name} tls.passphrase: a wrong passphrase, and none, for an encrypted key`, () => {
      const base = bases[name]!;
      expectIssueAt(withField(base, 'tls.passphrase', 'not-the-passphrase'), 'tls.passphrase', 'wrong passphrase');
      expectIssueAt(withField(base, 'tls.passphrase', undefined), 'tls.passphrase', 'no passphrase');
    });
  }

  it('fapi2 fapiHeaders: values that are not what the OFP token endpoint OpenAPI description allows', () => {
    const base = bases['fapi2 private_key_jwt']!;
    expectIssueAt(withField(base, 'fapiHeaders.authDate', 'yesterday'), 'fapiHeaders.authDate', 'authDate not an IMF-fixdate');
    expectIssueAt(withField(base, 'fapiHeaders.customerIpAddress', 'not-an-ip'), 'fapiHeaders.customerIpAddress', 'not an IP address');
  });

  it('top-level options: wrong types, out-of-range values and unknown keys name their option', () => {
    const provider = bases['client_secret_basic']!;
    const cases: [string, unknown][] = [
      ['refreshSkewSeconds', 'sixty'],
      ['refreshSkewSeconds', -1],
      ['defaultLifetimeSeconds', 0],
      ['defaultLifetimeSeconds', 1.5],
      ['maxResponseBytes', '1MB'],
      ['maxResponseBytes', 10],
      ['baseDir', 42],
      ['providers', 'all of them'],
      ['strategies', 'fapi2'],
      ['logger', { info: 'not a function' }],
      ['colour', 'blue'],
    ];
    for (const [key, value] of cases) {
      let error: unknown;
      try {
        void createFinauth({ strategies: [fapi2(), clientSecretBasic()], providers: [provider], [key]: value } as never).close();
      } catch (e) {
        error = e;
      }
      expect(ConfigError.is(error), `${key} = ${JSON.stringify(value)}: got ${String(error)}`).to.equal(true);
      const paths = (error as ConfigError).issues.map((i) => i.path);
      expect(paths.some((p) => p === key || p.startsWith(`${key}.`) || p.startsWith(`${key}[`)), `${key}: issues at ${paths.join(', ')}`).to.equal(true);
    }
  });

  it('client_secret_basic tls.ca: a key instead of a CA certificate, not PEM', () => {
    const base = bases['client_secret_basic']!;
    expectIssueAt(withField(base, 'tls.ca', `file:${pki.clients.transport.key}`), 'tls.ca', 'a key as the CA');
    expectIssueAt(withField(base, 'tls.ca', files['notPem']), 'tls.ca', 'not PEM');
  });

  it('no message quotes the secret or the key material it was given', () => {
    const base = bases['client_secret_basic']!;
    const error = create(withField(base, 'clientSecret', 12345)) as ConfigError;
    expect(JSON.stringify(error)).to.not.include('12345');
    const keyError = create(withField(bases['fapi2 private_key_jwt']!, 'clientAuth.signingKey', files['pkcs1'])) as ConfigError;
    expect(JSON.stringify(keyError)).to.not.match(/MII[A-Za-z0-9+/]{20}/);
  });
});
