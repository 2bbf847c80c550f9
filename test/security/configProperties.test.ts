import { clientSecretBasic } from '@finauth/client-secret-basic';
import { ConfigError, createFinauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { expect } from 'chai';
import fc from 'fast-check';

const anything = fc.anything({ withBigInt: false, withNullPrototype: true, withObjectString: true, maxDepth: 3 });
/** Mostly the keys a provider has, with any value: the validator's real input space. */
const providerLike = fc.record(
  {
    id: fc.oneof(fc.string(), anything),
    strategy: fc.oneof(fc.constantFrom('fapi2', 'client_secret_basic', 'FAPI2', '', 'nope'), anything),
    issuer: fc.oneof(fc.webUrl(), fc.string(), anything),
    tokenEndpoint: fc.oneof(fc.webUrl(), fc.string(), anything),
    clientId: fc.oneof(fc.string(), anything),
    clientSecret: fc.oneof(fc.string(), fc.constantFrom('env:FINAUTH_PROPERTY_UNSET', 'file:', 'file:/nonexistent'), anything),
    clientAuth: fc.oneof(
      fc.record({ method: fc.oneof(fc.constantFrom('private_key_jwt', 'tls_client_auth'), anything), alg: fc.oneof(fc.constantFrom('PS256', 'ES256', 'EdDSA', 'none', 'HS256'), anything), signingKey: anything, audience: anything, kid: anything }, { requiredKeys: [] }),
      anything,
    ),
    tls: fc.oneof(fc.record({ cert: anything, key: anything, ca: anything, passphrase: anything }, { requiredKeys: [] }), anything),
    scope: fc.oneof(fc.string(), anything),
    credentialEncoding: fc.oneof(fc.constantFrom('raw', 'form-urlencoded'), anything),
    timeoutMs: fc.oneof(fc.integer(), fc.double(), anything),
    retry: fc.oneof(fc.record({ maxRetries: anything, maxDelayMs: anything, baseDelayMs: anything }, { requiredKeys: [] }), anything),
  },
  { requiredKeys: [] },
);

/**
 * Issue 7: createFinauth over arbitrary options and providers either succeeds or throws a
 * ConfigError — no TypeError from deep inside, no hang — and its issues name paths.
 */
describe('config validator properties (fast-check)', () => {
  it('arbitrary providers: a ConfigError with issues, or a valid instance', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(providerLike, anything), { maxLength: 3 }), fc.oneof(fc.record({ refreshSkewSeconds: anything, defaultLifetimeSeconds: anything, maxResponseBytes: anything }, { requiredKeys: [] }), fc.constant({})), (providers, options) => {
        try {
          void createFinauth({ ...(options as object), strategies: [fapi2(), clientSecretBasic()], providers }).close();
        } catch (error) {
          expect(ConfigError.is(error), `threw ${String(error)}`).to.equal(true);
          const issues = (error as ConfigError).issues;
          expect(issues.length).to.be.greaterThan(0);
          for (const issue of issues) {
            expect(issue.path).to.be.a('string');
            expect(issue.message).to.be.a('string').and.not.equal('');
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary top-level input (not even an object) never throws anything but a ConfigError', () => {
    fc.assert(
      fc.property(anything, (input) => {
        try {
          void createFinauth(input as never).close();
        } catch (error) {
          expect(ConfigError.is(error), `threw ${String(error)}`).to.equal(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
