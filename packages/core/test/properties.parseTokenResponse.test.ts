import { expect } from 'chai';
import fc from 'fast-check';
import { FinauthError, ResponseFormatError, TokenEndpointError } from '../src/errors/index.js';
import type { HttpResponse } from '../src/http/HttpResponse.js';
import { parseTokenResponse, tokenEndpointError } from '../src/token/parseTokenResponse.js';

const ctx = { providerId: 'bank', requestedScope: ['accounts'], receivedAt: Date.UTC(2026, 0, 1) };

/** Values a hostile server could put in any field. */
const hostileValue = fc.oneof(
  fc.anything({ withBigInt: false, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom('', ' ', 'Bearer', 'BearerToken', 'bearer', 'NaN', 'Infinity', '-1', '1e400', '0x10', '3600', ' 3600 ', '__proto__', 'constructor'),
  fc.double(),
  fc.integer(),
);

/** Bodies shaped like token responses (RFC 6749 §5.1 / §5.2, the BNP Paribas CIB gateway page and the OFP token endpoint OpenAPI description) with hostile values. */
const tokenLikeBody = fc.record(
  {
    access_token: hostileValue,
    token_type: hostileValue,
    expires_in: hostileValue,
    scope: hostileValue,
    error: hostileValue,
    error_description: hostileValue,
    errors: hostileValue,
    issued_at: hostileValue,
    __proto__: hostileValue,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  tokenLikeBody.map((v) => JSON.stringify(v)),
  fc.constantFrom('', '<html><body>login</body></html>', '{', 'null', '[]', '"token"', '{"access_token":', '\u0000\uffff'),
);

const response = fc.record({
  status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(200, 201, 400, 401, 404, 429, 502, 503)),
  headers: fc.record({ 'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''), 'retry-after': fc.string(), 'x-fapi-interaction-id': fc.string() }, { requiredKeys: [] }),
  body,
}) as fc.Arbitrary<HttpResponse>;

/** A JSON value nested `depth` levels deep: ordinary arbitraries never go past a handful. */
function nested(depth: number, array: boolean): string {
  return array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Bodies within the transport's 1 MiB limit built to hit recursion limits and slow regular expressions. */
const pathologicalBody = fc.oneof(
  fc
    .record({ depth: fc.integer({ min: 1, max: 40_000 }), array: fc.boolean(), field: fc.constantFrom('errors', 'error', 'error_description', 'access_token', 'expires_in', 'scope', 'fault', 'extra') })
    .map(({ depth, array, field }) => {
      const value = nested(depth, array);
      const token = field === 'access_token' ? '' : '"access_token":"t","token_type":"Bearer",';
      return `{${token}"${field}":${field === 'errors' ? `[${value}]` : value}}`;
    }),
  fc.record({ n: fc.integer({ min: 1, max: 200_000 }), tail: fc.constantFrom('x', '.', '1', '<', '') }).map(({ n, tail }) => `{"access_token":"t","token_type":"${' '.repeat(n)}Bearer","expires_in":"1${' '.repeat(n)}${tail}"}`),
  fc.integer({ min: 1, max: 500_000 }).map((n) => `${' '.repeat(n)}<`),
);

/** Ample for one parse of a 1 MiB body; a hang or a catastrophic backtrack takes far longer. */
const MAX_MS_PER_PARSE = 1000;

/**
 * Issue 7: whatever a server answers, the parser returns a well-formed AccessToken or throws a
 * FinauthError — never a TypeError from deep inside, never a hang.
 */
describe('response parser properties (fast-check)', () => {
  it('parseTokenResponse: a well-formed AccessToken or a ResponseFormatError / TokenEndpointError, nothing else', () => {
    fc.assert(
      fc.property(response, (res) => {
        try {
          const token = parseTokenResponse(res, ctx);
          expect(res.status).to.be.within(200, 299);
          expect(token.accessToken).to.be.a('string').and.not.equal('');
          expect(token.tokenType).to.be.a('string');
          expect(token.scope.every((s) => typeof s === 'string' && s.length > 0)).to.equal(true);
          if (token.expiresAt !== undefined) expect(Number.isFinite(token.expiresAt.getTime()) && token.expiresAt.getTime() >= ctx.receivedAt).to.equal(true);
        } catch (error) {
          expect(FinauthError.is(error), `threw ${String(error)}`).to.equal(true);
          expect(ResponseFormatError.is(error) || TokenEndpointError.is(error)).to.equal(true);
          expect((error as Error).message.length).to.be.below(2000);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('tokenEndpointError: any non-2xx answer becomes a TokenEndpointError with its status, never a throw', () => {
    fc.assert(
      fc.property(response, fc.integer({ min: 300, max: 599 }), (res, status) => {
        const error = tokenEndpointError({ ...res, status }, ctx);
        expect(TokenEndpointError.is(error)).to.equal(true);
        expect(error.status).to.equal(status);
        expect(error.retryable).to.equal([429, 502, 503, 504].includes(status));
        expect(JSON.stringify(error)).to.be.a('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('deeply nested and oversized bodies: still only FinauthErrors, each parsed well within a second', () => {
    fc.assert(
      fc.property(pathologicalBody, fc.constantFrom(200, 400, 404, 503), (body, status) => {
        const started = performance.now();
        try {
          parseTokenResponse({ status, headers: { 'content-type': 'application/json' }, body }, ctx);
        } catch (error) {
          expect(FinauthError.is(error), `threw ${String(error)}`).to.equal(true);
          expect(JSON.stringify(error)).to.be.a('string');
        }
        expect(performance.now() - started).to.be.below(MAX_MS_PER_PARSE);
      }),
      { numRuns: 60 },
    );
  });

  it('a scrub function masks a secret the server echoes, wherever it lands in the message', () => {
    const secret = 'S3cr3t-echoed-by-the-server';
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('error_description', 'error', 'errors'), (before, after, field) => {
        const text = `${before}${secret}${after}`;
        const payload = field === 'errors' ? { errors: [text] } : { error: 'invalid_client', [field]: text };
        const error = tokenEndpointError({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }, { ...ctx, scrub: (t) => t.split(secret).join('[REDACTED]') });
        expect(JSON.stringify(error)).to.not.include(secret);
        expect(error.message).to.not.include(secret);
      }),
      { numRuns: 1000 },
    );
  });
});
