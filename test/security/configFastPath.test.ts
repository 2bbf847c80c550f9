import { ClientSecretBasicConfig } from '@finauth/client-secret-basic';
import { ProviderConfig, validateConfig } from '@finauth/core';
import { Fapi2Config } from '@finauth/fapi2';
import { Oauth2Config, PROFILE_NAMES } from '@finauth/oauth2';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { expect } from 'chai';
import fc from 'fast-check';

const anything = fc.anything({ withBigInt: false, withNullPrototype: true, withObjectString: true, maxDepth: 3 });
/** Values that pass and values that fail each field: most inputs are near-valid, which is where a fast path could go wrong. */
const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 14, arbitrary: good }, { weight: 1, arbitrary: anything });
const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n';
/** A value that passes most of the time, one that fails now and then. */
const choose = (good: readonly unknown[], bad: readonly unknown[]): fc.Arbitrary<unknown> =>
  field(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) }));
/** Now and then a key no config class knows. */
const stray = fc.oneof({ weight: 12, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.record({ bogus: anything }) });
const common = {
  id: choose(['paynet', 'bank-1', 'a.b_c:d-e'], ['', ' bad id', 'x'.repeat(129)]),
  scope: choose(['accounts', 'a b'], [' a', 'a"b', '']),
  tls: field(fc.tuple(fc.record({ cert: choose(['file:c.pem'], ['']), key: choose(['file:k.pem'], ['']), ca: choose(['file:ca.pem'], ['']), passphrase: field(fc.constant('pw')) }, { requiredKeys: [] }), stray).map(([t, x]) => ({ ...t, ...x }))),
  timeoutMs: choose([100, 10_000, 300_000], [99, 300_001, 1.5, '100']),
  retry: field(fc.record({ maxRetries: choose([0, 2, 10], [11, -1]), maxDelayMs: choose([0, 1000], [600_001]), baseDelayMs: choose([1, 60_000], [0]) }, { requiredKeys: [] })),
  proxy: choose(['http://proxy.internal:3128', 'env', 'direct'], ['']),
  proxyAuth: field(fc.record({ username: field(fc.constant('u')), password: field(fc.constant('env:P')) }, { requiredKeys: [] })),
  resourceOrigins: choose([['https://api.bank.example'], ['https://a.example', 'https://b.example:8443/']], [[], ['http://x.example'], ['https://a.example/path'], 'https://a.example']),
  circuit: field(fc.record({ failureThreshold: choose([1, 5, 1000], [0, 1001, 2.5]), coolDownMs: choose([100, 30_000], [99, '100']) }, { requiredKeys: [] })),
};
const commonKeys = ['scope', 'tls', 'timeoutMs', 'retry', 'proxy', 'proxyAuth', 'resourceOrigins', 'circuit'] as const;
const fapi2Like = fc.tuple(
  fc.record(
    {
      ...common,
      strategy: field(fc.constant('fapi2')),
      issuer: choose(['https://ofp.example.my', 'https://a.example/path'], ['http://plain.example', 'not a url', 'https://a.example/path?q=1']),
      tokenEndpoint: choose(['https://gw.example/oauth2/token'], ['ftp://x', '']),
      clientId: choose(['abc123'], ['', 'x'.repeat(300)]),
      clientAuth: field(
        fc.tuple(
          fc.record(
            {
              method: choose(['private_key_jwt', 'tls_client_auth'], ['client_secret_basic']),
              alg: choose(['PS256', 'ES256', 'EdDSA'], ['HS256']),
              signingKey: choose([pem, 'file:keys/k.pem', { kty: 'EC', d: 'x' }], ['']),
              kid: choose(['k1'], ['', 'has space']),
              audience: choose(['issuer', 'token_endpoint', 'https://aud.example'], ['']),
            },
            { requiredKeys: ['method'] },
          ),
          stray,
        ).map(([c, x]) => ({ ...c, ...x })),
      ),
      fapiHeaders: field(fc.record({ customerIpAddress: choose(['10.0.0.1'], ['nope']), authDate: field(fc.constant('Tue, 11 Sep 2012 19:43:31 GMT')) }, { requiredKeys: [] })),
    },
    { requiredKeys: ['id', 'strategy', 'clientId', 'clientAuth'] },
  ),
  stray,
).map(([p, x]) => ({ ...p, ...x }));
const basicLike = fc.tuple(
  fc.record(
    {
      ...common,
      strategy: field(fc.constant('client_secret_basic')),
      tokenEndpoint: choose(['https://gw.example/oauth2/token'], ['ftp://x', '']),
      clientId: choose(['abc123'], ['', 'x'.repeat(300)]),
      clientSecret: choose(['s3cret-value', 'env:X'], ['']),
      credentialEncoding: choose(['raw', 'form-urlencoded'], ['auto', 'base64']),
    },
    { requiredKeys: ['id', 'strategy', 'tokenEndpoint', 'clientId', 'clientSecret'] },
  ),
  stray,
).map(([p, x]) => ({ ...p, ...x }));
/**
 * oauth2: conditional fields (ValidateIf), `each` over arrays, custom validators. Its many optional
 * fields fail more rarely than the others' (`rare`), or hardly any input would be valid.
 */
const rare = (good: readonly unknown[], bad: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...bad), anything) });
const oauth2Like = fc.tuple(
  fc.record(
    {
      ...common,
      strategy: rare(['oauth2'], ['fapi2']),
      issuer: rare(['https://as.example', 'https://login.example/tenant/v2.0'], ['http://plain.example', 'not a url', 'https://u:p@as.example']),
      tokenEndpoint: rare(['https://as.example/token'], ['ftp://x', '']),
      clientId: rare(['abc123'], ['', 'x'.repeat(300)]),
      clientAuth: fc.oneof(
        {
          weight: 40,
          arbitrary: fc.tuple(
            fc.record(
              {
                method: rare(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth'], ['bogus', 5]),
                clientSecret: rare(['s3cret-value', 'env:X'], ['', '\ud800']),
                credentialEncoding: rare(['auto', 'raw', 'form-urlencoded'], ['base64']),
                credentialPlacement: rare(['body', 'query'], ['header']),
                alg: rare(['PS256', 'ES256', 'HS256'], ['none']),
                signingKey: rare([pem, 'file:keys/k.pem'], ['']),
                kid: rare(['k1'], ['', 'has space']),
                lifetimeSeconds: rare([60, 86_400], [0, 86_401]),
                headerKeys: rare([['kid'], ['kid', 'x5t#S256'], []], [['bogus'], 'kid', ['kid', 'x5t', 'x5c', 'x5t#S256', 'kid']]),
                typ: rare(['JWT'], ['x'.repeat(65)]),
              },
              { requiredKeys: ['method', 'clientSecret', 'signingKey'] },
            ),
            stray,
          ).map(([c, x]) => ({ ...c, ...x })),
        },
        { weight: 1, arbitrary: anything },
      ),
      profile: rare([...PROFILE_NAMES], ['nope']),
      extraParams: rare([{ audience: 'api' }, {}], [{ audience: 1 }, 'x']),
      resource: rare(['https://api.example', ['https://a.example', 'https://b.example']], ['', 5]),
      interactionId: rare([true, false], ['yes']),
      dpop: rare([true, false], ['yes']),
    },
    { requiredKeys: ['id', 'strategy', 'issuer', 'clientId', 'clientAuth'] },
  ),
  stray,
).map(([p, x]) => ({ ...p, ...x }));
const baseLike = fc.tuple(
  fc.record({ id: common.id, strategy: field(fc.constant('anything')), ...Object.fromEntries(commonKeys.map((k) => [k, common[k]])) }, { requiredKeys: ['id', 'strategy'] }),
  stray,
).map(([p, x]) => ({ ...p, ...x }));

/** The reference: class-transformer's plainToInstance and class-validator's validateSync, as finauth called them before the fast path. */
function reference(cls: new () => object, input: Record<string, unknown>): boolean {
  const instance = plainToInstance(cls, input, { enableImplicitConversion: false, exposeDefaultValues: false });
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } }).length === 0;
}

/**
 * Issue 14: creating providers recognises a valid config without class-validator's executor. The
 * verdict must be class-validator's own, for every config class shipped: a fast "valid" for input
 * class-validator rejects would let a broken config through.
 */
describe('config validation fast path agrees with class-validator (fast-check)', function () {
  // 1,000 inputs through both paths per class: seconds alone, more on a loaded machine.
  this.timeout(120_000);
  const classes: Array<[string, new () => object, fc.Arbitrary<Record<string, unknown>>]> = [
    ['Fapi2Config', Fapi2Config, fapi2Like],
    ['ClientSecretBasicConfig', ClientSecretBasicConfig, basicLike],
    ['Oauth2Config', Oauth2Config, oauth2Like],
    ['ProviderConfig', ProviderConfig, baseLike],
  ];
  for (const [name, cls, inputs] of classes) {
    it(`${name}: validateConfig accepts exactly what class-validator accepts`, () => {
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof({ weight: 6, arbitrary: inputs }, { weight: 1, arbitrary: fc.oneof(fapi2Like, basicLike, oauth2Like, baseLike) }), (input) => {
          const ours = validateConfig(cls, input);
          const theirs = reference(cls, input);
          if (ours.ok) accepted++;
          expect(ours.ok, JSON.stringify(input)).to.equal(theirs);
        }),
        { numRuns: 1000 },
      );
      // The generator must reach valid configs, or the agreement says nothing about the fast path.
      expect(accepted, 'valid inputs generated').to.be.greaterThan(10);
    });
  }

  it('a valid config still comes back as an instance of its class, nested objects too', () => {
    const result = validateConfig(Fapi2Config, { id: 'p', strategy: 'fapi2', issuer: 'https://ofp.example.my', clientId: 'c', clientAuth: { method: 'tls_client_auth' }, tls: { cert: 'file:c.pem', key: 'file:k.pem' } });
    expect(result.ok).to.equal(true);
    const value = (result as { value: Fapi2Config }).value as unknown as Record<string, unknown>;
    expect(value).to.be.instanceOf(Fapi2Config);
    expect(value['clientAuth']?.constructor.name).to.equal('ClientAuthConfig');
    expect(value['tls']?.constructor.name).to.equal('TlsConfig');
  });

  it('a __proto__ key in JSON input does not reach the prototype, and is not a field', () => {
    const input = JSON.parse('{"id":"p","strategy":"fapi2","issuer":"https://ofp.example.my","clientId":"c","clientAuth":{"method":"tls_client_auth"},"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const result = validateConfig(Fapi2Config, input);
    expect(result.ok).to.equal(reference(Fapi2Config, input));
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });
});
