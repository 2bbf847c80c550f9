import { expect } from 'chai';
import { DiscoveryError, TransportError, type HttpResponse } from '@finauth/core';
import { cacheMaxAge, DEFAULT_DISCOVERY_TTL_MS, discoveryUrls, readDiscoveryDocument } from '../src/index.js';
import { buildProvider } from './helpers/build.js';
import { discoveryDoc, FakeTransport, ISSUER, json, MTLS_TOKEN_ENDPOINT, networkError, standardServer, TOKEN_ENDPOINT, tokenOk } from './helpers/FakeTransport.js';
import { ManualClock } from './helpers/ManualClock.js';

const OPENID = `${ISSUER}/.well-known/openid-configuration`;
const RFC8414 = 'https://as.test.example/.well-known/oauth-authorization-server/ofp';

function read(response: HttpResponse): ReturnType<typeof readDiscoveryDocument> {
  return readDiscoveryDocument(response, { issuer: ISSUER, url: OPENID, providerId: 'ofp' });
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('discovery', () => {
  describe('discoveryUrls (OIDC Discovery §4, RFC 8414 §3)', () => {
    it('appends to an issuer without a path, and inserts the RFC 8414 segment before the path', () => {
      expect(discoveryUrls('https://as.example')).to.deep.equal(['https://as.example/.well-known/openid-configuration', 'https://as.example/.well-known/oauth-authorization-server']);
      expect(discoveryUrls('https://as.example/tenant/one')).to.deep.equal([
        'https://as.example/tenant/one/.well-known/openid-configuration',
        'https://as.example/.well-known/oauth-authorization-server/tenant/one',
      ]);
    });

    it('removes a terminating "/" before appending or inserting, and keeps the port', () => {
      expect(discoveryUrls('https://as.example:8443/tenant/')).to.deep.equal([
        'https://as.example:8443/tenant/.well-known/openid-configuration',
        'https://as.example:8443/.well-known/oauth-authorization-server/tenant',
      ]);
      expect(discoveryUrls('https://as.example/')[1]).to.equal('https://as.example/.well-known/oauth-authorization-server');
    });
  });

  describe('readDiscoveryDocument', () => {
    it('prefers mtls_endpoint_aliases.token_endpoint over token_endpoint (RFC 8705 §5)', () => {
      const meta = read(json(200, discoveryDoc()));
      expect(meta.tokenEndpoint).to.equal(MTLS_TOKEN_ENDPOINT);
      expect(meta.viaMtlsAlias).to.equal(true);
    });

    it('uses token_endpoint when no alias is advertised', () => {
      const meta = read(json(200, discoveryDoc({ mtls_endpoint_aliases: undefined })));
      expect(meta.tokenEndpoint).to.equal(TOKEN_ENDPOINT);
      expect(meta.viaMtlsAlias).to.equal(false);
    });

    it('rejects a document naming another issuer, even one differing only by a trailing slash (RFC 8414 §3.3)', () => {
      for (const issuer of [`${ISSUER}/`, 'https://evil.example/ofp', ISSUER.toUpperCase()]) {
        const error = caught(() => read(json(200, discoveryDoc({ issuer }))));
        expect(DiscoveryError.is(error), issuer).to.equal(true);
        expect((error as DiscoveryError).message).to.contain('RFC 8414 §3.3');
      }
    });

    it('rejects an unparseable body, a non-object, a missing issuer, a missing or non-https token endpoint', () => {
      const cases: HttpResponse[] = [
        { status: 200, headers: {}, body: '<html>maintenance</html>' },
        json(200, ['issuer']),
        json(200, { token_endpoint: TOKEN_ENDPOINT }),
        json(200, discoveryDoc({ token_endpoint: undefined, mtls_endpoint_aliases: undefined })),
        json(200, discoveryDoc({ token_endpoint: 'http://as.test.example/token', mtls_endpoint_aliases: undefined })),
      ];
      for (const response of cases) {
        const error = caught(() => read(response));
        expect(DiscoveryError.is(error), response.body).to.equal(true);
        expect((error as DiscoveryError).status).to.equal(200);
      }
    });
  });

  describe('cacheMaxAge (RFC 9111 §5.2.2)', () => {
    it('reads max-age, treats no-store/no-cache as 0, defaults to an hour', () => {
      expect(cacheMaxAge('public, max-age=120')).to.equal(120_000);
      expect(cacheMaxAge('no-store')).to.equal(0);
      expect(cacheMaxAge('max-age=600, no-cache')).to.equal(0);
      expect(cacheMaxAge(undefined)).to.equal(DEFAULT_DISCOVERY_TTL_MS);
      expect(cacheMaxAge('private')).to.equal(DEFAULT_DISCOVERY_TTL_MS);
      expect(DEFAULT_DISCOVERY_TTL_MS).to.equal(3600_000);
    });
  });

  describe('through the provider', () => {
    it('discovers through the provider transport and posts to the mTLS alias', async () => {
      const { auth, transport } = buildProvider();
      try {
        await auth.getToken('ofp');
        expect(transport.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([`GET ${OPENID}`, `POST ${MTLS_TOKEN_ENDPOINT}`]);
        expect(transport.requests[0]!.headers['x-fapi-interaction-id']).to.match(/^[0-9a-f-]{36}$/);
      } finally {
        await auth.close();
      }
    });

    it('falls back to the RFC 8414 location when the OpenID one answers 404', async () => {
      const transport = new FakeTransport((r) => (r.url === RFC8414 ? json(200, discoveryDoc()) : r.url === OPENID ? json(404, { errors: ['no such document'] }) : standardServer(r)));
      const { auth } = buildProvider({ transport });
      try {
        await auth.getToken('ofp');
        expect(transport.requests.map((r) => r.url)).to.deep.equal([OPENID, RFC8414, MTLS_TOKEN_ENDPOINT]);
      } finally {
        await auth.close();
      }
    });

    it('is a DiscoveryError naming both locations when neither has a document', async () => {
      const transport = new FakeTransport(() => json(404, { errors: ['not found'] }));
      const { auth } = buildProvider({ transport });
      try {
        const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
        expect(DiscoveryError.is(error)).to.equal(true);
        expect((error as DiscoveryError).status).to.equal(404);
        expect((error as DiscoveryError).message).to.contain(OPENID).and.contain(RFC8414);
        expect(transport.tokenBodies()).to.have.length(0);
      } finally {
        await auth.close();
      }
    });

    it('does not fall back when the first document names another issuer', async () => {
      const transport = new FakeTransport((r) => (r.method === 'GET' ? json(200, discoveryDoc({ issuer: 'https://other.example' })) : standardServer(r)));
      const { auth } = buildProvider({ transport });
      try {
        const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
        expect(DiscoveryError.is(error)).to.equal(true);
        expect(transport.requests).to.have.length(1);
      } finally {
        await auth.close();
      }
    });

    it('keeps a network failure during discovery a TransportError', async () => {
      const transport = new FakeTransport(() => networkError());
      const { auth } = buildProvider({ transport, provider: { retry: { maxRetries: 0 } } });
      try {
        const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
        expect(TransportError.is(error)).to.equal(true);
        expect(DiscoveryError.is(error)).to.equal(false);
      } finally {
        await auth.close();
      }
    });

    it('reuses the document for its max-age, then fetches it again', async () => {
      const clock = new ManualClock();
      const transport = new FakeTransport((r) => (r.method === 'GET' ? json(200, discoveryDoc(), { 'cache-control': 'max-age=120' }) : tokenOk(r)));
      const { auth } = buildProvider({ transport, clock });
      const gets = (): number => transport.requests.filter((r) => r.method === 'GET').length;
      try {
        await auth.getToken('ofp');
        await auth.getToken('ofp', { forceRefresh: true });
        expect(gets()).to.equal(1);
        clock.advance(121_000);
        await auth.getToken('ofp', { forceRefresh: true });
        expect(gets()).to.equal(2);
      } finally {
        await auth.close();
      }
    });

    it('keeps the document an hour without Cache-Control', async () => {
      const clock = new ManualClock();
      const { auth, transport } = buildProvider({ clock });
      const gets = (): number => transport.requests.filter((r) => r.method === 'GET').length;
      try {
        await auth.getToken('ofp');
        clock.advance(3599_000);
        await auth.getToken('ofp', { forceRefresh: true });
        expect(gets()).to.equal(1);
        clock.advance(2000);
        await auth.getToken('ofp', { forceRefresh: true });
        expect(gets()).to.equal(2);
      } finally {
        await auth.close();
      }
    });

    it('discovers again after the token endpoint answers 404, and succeeds at the moved endpoint', async () => {
      let moved = false;
      const movedEndpoint = 'https://mtls.as.test.example:8443/ofp/v2/token';
      const transport = new FakeTransport((r) => {
        if (r.method === 'GET') return json(200, discoveryDoc(moved ? { mtls_endpoint_aliases: { token_endpoint: movedEndpoint } } : {}));
        if (r.url === movedEndpoint) return tokenOk(r);
        moved = true;
        return json(404, { errors: ['Resource not found'] }, { 'x-fapi-interaction-id': r.headers['x-fapi-interaction-id']! });
      });
      const { auth } = buildProvider({ transport });
      try {
        await auth.getToken('ofp');
        expect(transport.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([`GET ${OPENID}`, `POST ${MTLS_TOKEN_ENDPOINT}`, `GET ${OPENID}`, `POST ${movedEndpoint}`]);
      } finally {
        await auth.close();
      }
    });

    it('discovers again after a network error at the token endpoint (retries exhausted)', async () => {
      let failures = 0;
      const transport = new FakeTransport((r) => {
        if (r.method === 'POST' && failures < 2) {
          failures++;
          return networkError();
        }
        return standardServer(r);
      });
      const { auth } = buildProvider({ transport, provider: { retry: { maxRetries: 1, baseDelayMs: 1 } } });
      try {
        await auth.getToken('ofp');
        expect(transport.requests.map((r) => r.method)).to.deep.equal(['GET', 'POST', 'POST', 'GET', 'POST']);
      } finally {
        await auth.close();
      }
    });

    it('does not discover again after a 400 (the endpoint is there; the request is wrong)', async () => {
      const transport = new FakeTransport((r) => (r.method === 'POST' ? json(400, { error: 'invalid_scope' }) : standardServer(r)));
      const { auth } = buildProvider({ transport });
      try {
        await auth.getToken('ofp').catch(() => undefined);
        expect(transport.requests.map((r) => r.method)).to.deep.equal(['GET', 'POST']);
      } finally {
        await auth.close();
      }
    });

    it('skips discovery when tokenEndpoint is configured', async () => {
      const transport = new FakeTransport((r) => (r.url === TOKEN_ENDPOINT ? tokenOk(r) : json(404, {})));
      const { auth } = buildProvider({ transport, provider: { tokenEndpoint: TOKEN_ENDPOINT } });
      try {
        await auth.getToken('ofp');
        expect(transport.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([`POST ${TOKEN_ENDPOINT}`]);
      } finally {
        await auth.close();
      }
    });
  });
});
