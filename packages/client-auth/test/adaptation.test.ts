import { createHash, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { TokenEndpointError, type TelemetryEvent, type TokenCallContext } from '@finauth/core';
import { AdaptiveSetting, audienceCandidates, certificateHeader, isAuthenticationRejection, pinFragment, type Candidate } from '../src/index.js';

const rejection = (status: number, error?: string): TokenEndpointError =>
  new TokenEndpointError('refused', { status, error, retryable: false }, { providerId: 'p' });

function context(fetch: object, events: TelemetryEvent[], warnings: string[]): TokenCallContext {
  const noop = (): void => undefined;
  return {
    providerId: 'p',
    fetch,
    attempt: 0,
    options: {},
    signal: new AbortController().signal,
    clock: { now: () => 0, sleep: () => Promise.resolve() },
    logger: { debug: noop, info: noop, warn: (m: string) => void warnings.push(m), error: noop },
    telemetry: { emit: (e: TelemetryEvent) => void events.push(e) },
    transport: { send: () => Promise.reject(new Error('unused')), close: noop },
  } as unknown as TokenCallContext;
}

describe('adaptation', () => {
  describe('isAuthenticationRejection (issue 20)', () => {
    it('is a 400/401 invalid_client, or a 401/403 without an OAuth error code', () => {
      expect(isAuthenticationRejection(rejection(400, 'invalid_client'))).to.equal(true);
      expect(isAuthenticationRejection(rejection(401, 'invalid_client'))).to.equal(true);
      expect(isAuthenticationRejection(rejection(403))).to.equal(true);
      expect(isAuthenticationRejection(rejection(401))).to.equal(true);
      expect(isAuthenticationRejection(rejection(401, 'oauth.v2.InvalidClientIdentifier'))).to.equal(true);
    });
    it('is not a precise OAuth answer, another status, or another error class', () => {
      expect(isAuthenticationRejection(rejection(400, 'invalid_scope'))).to.equal(false);
      expect(isAuthenticationRejection(rejection(403, 'access_denied'))).to.equal(false);
      expect(isAuthenticationRejection(rejection(400))).to.equal(false);
      expect(isAuthenticationRejection(rejection(500))).to.equal(false);
      expect(isAuthenticationRejection(rejection(429))).to.equal(false);
    });
  });

  describe('audienceCandidates', () => {
    const inputs = { issuer: 'https://as.example', tokenEndpoint: 'https://mtls.as.example/token', nonAliasTokenEndpoint: 'https://as.example/token' };
    it('auto: issuer, the URL posted to, the non-alias token endpoint, each pinned by keyword or URL', () => {
      expect(audienceCandidates('auto', undefined, inputs, 'clientAuth.audience')).to.deep.equal([
        { key: 'issuer', value: 'https://as.example', pin: '"clientAuth": { "audience": "issuer" }' },
        { key: 'token_endpoint', value: 'https://mtls.as.example/token', pin: '"clientAuth": { "audience": "token_endpoint" }' },
        { key: 'non_alias_token_endpoint', value: 'https://as.example/token', pin: '"clientAuth": { "audience": "https://as.example/token" }' },
      ]);
    });
    it("auto with a profile rule: the profile's first, duplicates dropped; no alias: two variants", () => {
      const plain = { issuer: 'https://t.example/', tokenEndpoint: 'https://t.example/oauth/token' };
      expect(audienceCandidates('auto', 'token_endpoint', plain, 'a').map((c) => c.key)).to.deep.equal(['token_endpoint', 'issuer']);
      expect(audienceCandidates('auto', 'issuer_with_slash', { issuer: 'https://t.example', tokenEndpoint: 'https://t.example/oauth/token' }, 'a').map((c) => c.value)).to.deep.equal(['https://t.example/', 'https://t.example', 'https://t.example/oauth/token']);
    });
    it('a pinned value is the only candidate', () => {
      expect(audienceCandidates('token_endpoint', undefined, inputs, 'a').map((c) => c.value)).to.deep.equal(['https://mtls.as.example/token']);
      expect(audienceCandidates('https://x.example', undefined, inputs, 'a').map((c) => c.value)).to.deep.equal(['https://x.example']);
    });
  });

  describe('AdaptiveSetting', () => {
    const ladder: Candidate[] = [
      { key: 'a', value: 'A', pin: '"s": "a"' },
      { key: 'b', value: 'B', pin: '"s": "b"' },
      { key: 'c', value: 'C', pin: '"s": "c"' },
    ];

    it('walks the ladder once per fetch, throws the first rejection when all are refused', () => {
      const setting = new AdaptiveSetting('s', 3);
      const fetch = {};
      const ctx = context(fetch, [], []);
      const first = rejection(401, 'invalid_client');
      expect(setting.pick(fetch, ladder).key).to.equal('a');
      expect(setting.recover(first, ctx)).to.equal(true);
      expect(setting.pick(fetch, ladder).key).to.equal('b');
      expect(setting.recover(rejection(403), ctx)).to.equal(true);
      expect(setting.pick(fetch, ladder).key).to.equal('c');
      let thrown: unknown;
      try {
        setting.recover(rejection(403), ctx);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.equal(first);
    });

    it('remembers what worked for later fetches, emits auth.adapted and warns once', () => {
      const setting = new AdaptiveSetting('s', 3);
      const events: TelemetryEvent[] = [];
      const warnings: string[] = [];
      const f1 = {};
      setting.pick(f1, ladder);
      setting.recover(rejection(403), context(f1, events, warnings));
      setting.pick(f1, ladder);
      setting.accepted(context(f1, events, warnings));
      expect(setting.remembered).to.equal('b');
      expect(events.map((e) => [e.name, e.attributes?.['from'], e.attributes?.['to'], e.attributes?.['pin']])).to.deep.equal([['auth.adapted', 'a', 'b', '"s": "b"']]);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('"s": "b"');
      const f2 = {};
      expect(setting.pick(f2, ladder).key).to.equal('b');
      setting.accepted(context(f2, events, warnings));
      expect(events).to.have.length(1);
    });

    it('keeps each of two fetches running at once on its own variant (two scopes refused and retried in turn)', () => {
      const setting = new AdaptiveSetting('s', 3);
      const f1 = {};
      const f2 = {};
      expect(setting.pick(f1, ladder).key).to.equal('a');
      expect(setting.pick(f2, ladder).key).to.equal('a');
      expect(setting.recover(rejection(403), context(f1, [], []))).to.equal(true);
      expect(setting.pick(f1, ladder).key).to.equal('b');
      expect(setting.recover(rejection(403), context(f2, [], []))).to.equal(true);
      expect(setting.recover(rejection(403), context(f1, [], []))).to.equal(true);
      expect(setting.pick(f2, ladder).key).to.equal('b');
      expect(setting.pick(f1, ladder).key).to.equal('c');
      setting.accepted(context(f2, [], []));
      expect(setting.remembered).to.equal('b');
      setting.accepted(context(f1, [], []));
      expect(setting.remembered).to.equal('c');
    });

    it('does not move on for an error that is not an authentication rejection', () => {
      const setting = new AdaptiveSetting('s', 3);
      const fetch = {};
      setting.pick(fetch, ladder);
      expect(setting.recover(rejection(400, 'invalid_scope'), context(fetch, [], []))).to.equal(false);
    });
  });

  it('pinFragment writes the config line for a nested or top-level path', () => {
    expect(pinFragment('clientAuth.audience', 'token_endpoint')).to.equal('"clientAuth": { "audience": "token_endpoint" }');
    expect(pinFragment('credentialEncoding', 'raw')).to.equal('"credentialEncoding": "raw"');
  });

  it('certificateHeader: x5t#S256 is base64url SHA-256 of the DER, x5t SHA-1, x5c standard base64 (RFC 7515 §4.1.6-8)', async () => {
    const { createCa, daysFromNow } = await import('@finauth/sandbox');
    const ca = await createCa('CN=x5t-test', daysFromNow(-1, 2));
    const der = new X509Certificate(ca.certPem).raw;
    expect(certificateHeader([der], ['x5t#S256', 'x5t', 'x5c'])).to.deep.equal({
      'x5t#S256': createHash('sha256').update(der).digest('base64url'),
      x5t: createHash('sha1').update(der).digest('base64url'),
      x5c: [der.toString('base64')],
    });
  });
});
