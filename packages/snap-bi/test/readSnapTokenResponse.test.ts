import { ResponseFormatError, TokenEndpointError, type HttpResponse } from '@finauth/core';
import { expect } from 'chai';
import { readSnapTokenResponse } from '../src/readSnapTokenResponse.js';

const ctx = { providerId: 'snap', requestedScope: [], receivedAt: Date.UTC(2026, 10, 29, 10, 0, 0) };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('readSnapTokenResponse', () => {
  it('reads the camelCase success: expiresIn as a string of seconds, the whole body kept as raw', () => {
    const body = { responseCode: '2007300', responseMessage: 'Successful', accessToken: 'tok-1', tokenType: 'Bearer', expiresIn: '900', additionalInfo: { x: 1 } };
    const token = readSnapTokenResponse(json(200, body), ctx);
    expect(token.accessToken).to.equal('tok-1');
    expect(token.tokenType).to.equal('Bearer');
    expect(token.expiresAt?.getTime()).to.equal(ctx.receivedAt + 900_000);
    expect(token.scope).to.deep.equal([]);
    expect(token.raw).to.deep.equal(body);
  });

  it('normalises "BearerToken" and accepts a numeric expiresIn', () => {
    const token = readSnapTokenResponse(json(200, { responseCode: '2007300', accessToken: 't', tokenType: 'BearerToken', expiresIn: 900 }), ctx);
    expect(token.tokenType).to.equal('Bearer');
    expect(token.expiresAt?.getTime()).to.equal(ctx.receivedAt + 900_000);
  });

  const cases: Array<[string, number, string, boolean]> = [
    ['unauthorized signature', 401, '4017300', false],
    ['invalid field format', 400, '4007301', false],
    ['missing mandatory field', 400, '4007302', false],
    ['general error', 500, '5007300', true],
    ['internal server error', 500, '5007301', true],
    ['timeout', 504, '5047300', true],
    ['too many requests', 429, '4297300', true],
  ];
  for (const [name, status, code, retryable] of cases) {
    it(`${code} (${name}) → TokenEndpointError with error ${code}, retryable ${retryable}`, () => {
      const error = thrown(() => readSnapTokenResponse(json(status, { responseCode: code, responseMessage: name }), ctx));
      expect(TokenEndpointError.is(error)).to.equal(true);
      const e = error as TokenEndpointError;
      expect(e.status).to.equal(status);
      expect(e.error).to.equal(code);
      expect(e.errorDescription).to.equal(name);
      expect(e.retryable).to.equal(retryable);
      expect(e.message).to.contain(code);
    });
  }

  it('treats an error responseCode under HTTP 200 as the error it is', () => {
    const e = thrown(() => readSnapTokenResponse(json(200, { responseCode: '5007300', responseMessage: 'General Error' }), ctx)) as TokenEndpointError;
    expect(TokenEndpointError.is(e) && e.error).to.equal('5007300');
    expect(e.retryable).to.equal(true);
  });

  it('reads Retry-After on throttling', () => {
    const e = thrown(() => readSnapTokenResponse(json(429, { responseCode: '4297300', responseMessage: 'Too Many Requests' }, { 'retry-after': '3' }), ctx)) as TokenEndpointError;
    expect(e.retryAfterMs).to.equal(3000);
  });

  it('falls back on the HTTP status when an error body is not SNAP JSON', () => {
    const html: HttpResponse = { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>bad gateway</html>' };
    const e = thrown(() => readSnapTokenResponse(html, ctx)) as TokenEndpointError;
    expect(TokenEndpointError.is(e) && e.retryable).to.equal(true);
    expect(e.error).to.equal(undefined);
    expect(e.message).to.contain('an HTML page');
    const e401 = thrown(() => readSnapTokenResponse({ ...html, status: 401 }, ctx)) as TokenEndpointError;
    expect(e401.retryable).to.equal(false);
  });

  it('reports a 2xx body without a usable token as ResponseFormatError', () => {
    for (const body of [{ responseCode: '2007300' }, { responseCode: '2007300', accessToken: 't' }, { responseCode: '2007300', accessToken: 't', tokenType: 'Bearer', expiresIn: 'soon' }]) {
      expect(ResponseFormatError.is(thrown(() => readSnapTokenResponse(json(200, body), ctx))), JSON.stringify(body)).to.equal(true);
    }
    expect(ResponseFormatError.is(thrown(() => readSnapTokenResponse({ status: 200, headers: {}, body: '' }, ctx)))).to.equal(true);
  });

  it('scrubs server text with the context scrubber before shortening it', () => {
    const e = thrown(() =>
      readSnapTokenResponse(json(401, { responseCode: '4017300', responseMessage: `bad signature ${'s'.repeat(290)}SECRETSIGNATURE` }), { ...ctx, scrub: (t) => t.split('SECRETSIGNATURE').join('[REDACTED]') }),
    ) as TokenEndpointError;
    expect(e.message).not.to.contain('SECRETSIG');
    expect(e.errorDescription).not.to.contain('SECRETSIG');
  });
});
