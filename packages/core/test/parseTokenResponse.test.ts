import { expect } from 'chai';
import { ResponseFormatError, TokenEndpointError } from '../src/errors/index.js';
import type { HttpResponse } from '../src/http/HttpResponse.js';
import { parseTokenResponse, tokenEndpointError } from '../src/token/parseTokenResponse.js';

const ctx = { providerId: 'bank', requestedScope: ['accounts'], receivedAt: Date.UTC(2026, 0, 1) };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('parseTokenResponse', () => {
  describe('success (RFC 6749 §5.1)', () => {
    it('reads a standard response and computes expiresAt from the local receive time', () => {
      const t = parseTokenResponse(json(200, { access_token: 'abc', token_type: 'Bearer', expires_in: 3600, scope: 'accounts' }), ctx);
      expect(t.accessToken).to.equal('abc');
      expect(t.tokenType).to.equal('Bearer');
      expect(t.expiresAt?.getTime()).to.equal(ctx.receivedAt + 3600_000);
      expect(t.scope).to.deep.equal(['accounts']);
      expect(t.providerId).to.equal('bank');
    });

    it('normalises the BNP Paribas CIB gateway response: token_type "BearerToken", expires_in "1799", extra fields kept in raw', () => {
      const body = {
        refresh_token_expires_in: '0',
        api_product_list: '[psd2-stet-v1]',
        api_product_list_json: ['psd2-stet-v1'],
        organization_name: 'bnpinternet',
        token_type: 'BearerToken',
        issued_at: '1552409736000',
        access_token: '9tTeVWjNBcQ3DswGDqfVVAfTawSX',
        scope: 'pisp aisp',
        expires_in: '1799',
        status: 'approved',
      };
      const t = parseTokenResponse(json(200, body), ctx);
      expect(t.tokenType).to.equal('Bearer');
      expect(t.expiresAt?.getTime()).to.equal(ctx.receivedAt + 1799_000);
      expect(t.scope).to.deep.equal(['pisp', 'aisp']);
      expect(t.raw['organization_name']).to.equal('bnpinternet');
      expect(t.raw['api_product_list_json']).to.deep.equal(['psd2-stet-v1']);
      expect(t.raw['issued_at']).to.equal('1552409736000');
    });

    for (const type of ['bearer', 'BEARER', 'Bearer', 'bearertoken', ' Bearer ']) {
      it(`treats token_type ${JSON.stringify(type)} as Bearer`, () => {
        expect(parseTokenResponse(json(200, { access_token: 'a', token_type: type }), ctx).tokenType).to.equal('Bearer');
      });
    }

    it('keeps other token types as sent', () => {
      expect(parseTokenResponse(json(200, { access_token: 'a', token_type: 'DPoP' }), ctx).tokenType).to.equal('DPoP');
    });

    it('leaves expiresAt unset without expires_in and uses the requested scope without scope', () => {
      const t = parseTokenResponse(json(200, { access_token: 'a', token_type: 'Bearer' }), ctx);
      expect(t.expiresAt).to.equal(undefined);
      expect(t.scope).to.deep.equal(['accounts']);
    });

    it('returns a frozen token', () => {
      const t = parseTokenResponse(json(200, { access_token: 'a', token_type: 'Bearer' }), ctx);
      expect(Object.isFrozen(t)).to.equal(true);
      expect(Object.isFrozen(t.raw)).to.equal(true);
    });
  });

  describe('2xx that is not a token', () => {
    const cases: Array<[string, HttpResponse, RegExp]> = [
      ['an empty body', { status: 200, headers: {}, body: '' }, /empty body/],
      ['an HTML page', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Login</body></html>' }, /HTML/],
      ['malformed JSON', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token": "x",' }, /malformed JSON/],
      ['a JSON array', json(200, ['x']), /not JSON|malformed/],
      ['no access_token', json(200, { token_type: 'Bearer' }), /access_token/],
      ['an empty access_token', json(200, { access_token: '', token_type: 'Bearer' }), /access_token/],
      ['a numeric access_token', json(200, { access_token: 42, token_type: 'Bearer' }), /access_token/],
      ['no token_type', json(200, { access_token: 'a' }), /token_type/],
      ['a negative expires_in', json(200, { access_token: 'a', token_type: 'Bearer', expires_in: -5 }), /expires_in/],
      ['an absurd expires_in', json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 1e12 }), /expires_in/],
      ['a non-numeric expires_in', json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 'soon' }), /expires_in/],
      ['a non-string scope', json(200, { access_token: 'a', token_type: 'Bearer', scope: ['a'] }), /scope/],
    ];
    for (const [name, response, message] of cases) {
      it(`is a ResponseFormatError for ${name}`, () => {
        const e = thrown(() => parseTokenResponse(response, ctx));
        expect(ResponseFormatError.is(e)).to.equal(true);
        expect((e as ResponseFormatError).message).to.match(message);
        expect((e as ResponseFormatError).providerId).to.equal('bank');
      });
    }
  });

  describe('errors (RFC 6749 §5.2 and the shapes banks use)', () => {
    it('reads error and error_description, not retryable for 400', () => {
      const e = thrown(() => parseTokenResponse(json(400, { error: 'invalid_scope', error_description: 'scope admin not allowed' }, { 'x-fapi-interaction-id': 'f1' }), ctx)) as TokenEndpointError;
      expect(TokenEndpointError.is(e)).to.equal(true);
      expect(e).to.include({ status: 400, error: 'invalid_scope', errorDescription: 'scope admin not allowed', retryable: false, interactionId: 'f1' });
      expect(e.message).to.contain('invalid_scope').and.contain('scope admin not allowed');
    });

    it("reads the OFP token endpoint OpenAPI description's 404 body {errors: [...]}", () => {
      const e = tokenEndpointError(json(404, { errors: ['Resource not found', 'try again'] }), ctx);
      expect(e.errors).to.deep.equal(['Resource not found', 'try again']);
      expect(e.message).to.contain('Resource not found');
    });

    it("reads Apigee's {ErrorCode, Error} 401 body", () => {
      const e = tokenEndpointError(json(401, { ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' }), ctx);
      expect(e).to.include({ status: 401, error: 'invalid_client', errorDescription: 'ClientId is Invalid', retryable: false });
    });

    it("reads Apigee's {fault: {...}} body", () => {
      const e = tokenEndpointError(json(401, { fault: { faultstring: 'Invalid client identifier', detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' } } }), ctx);
      expect(e).to.include({ error: 'oauth.v2.InvalidClientIdentifier', errorDescription: 'Invalid client identifier' });
    });

    for (const status of [429, 502, 503, 504]) {
      it(`marks ${status} retryable`, () => expect(tokenEndpointError(json(status, {}), ctx).retryable).to.equal(true));
    }
    for (const status of [400, 401, 403, 404, 406, 500]) {
      it(`marks ${status} not retryable`, () => expect(tokenEndpointError(json(status, {}), ctx).retryable).to.equal(false));
    }

    it('reads Retry-After in seconds and as an HTTP date', () => {
      expect(tokenEndpointError(json(429, {}, { 'retry-after': '7' }), ctx).retryAfterMs).to.equal(7000);
      const date = new Date(ctx.receivedAt + 12_000).toUTCString();
      expect(tokenEndpointError(json(503, {}, { 'retry-after': date }), ctx).retryAfterMs).to.equal(12_000);
    });

    it('describes an HTML error page without copying it', () => {
      const e = tokenEndpointError({ status: 503, headers: { 'content-type': 'text/html' }, body: '<html>Service Unavailable</html>' }, ctx);
      expect(e.message).to.equal('Token endpoint answered HTTP 503: an HTML page');
    });

    it('strips control characters and bounds server text (log injection)', () => {
      const e = tokenEndpointError(json(400, { error: 'x', error_description: `line1\nFAKE LOG LINE\r${'y'.repeat(1000)}` }), ctx);
      expect(e.message).to.not.match(/[\n\r]/);
      expect(e.errorDescription!.length).to.be.at.most(301);
    });
  });
});
