import { expect } from 'chai';
import { startSandbox, type Sandbox } from '../src/index.js';
import { assertionForm, signAssertion } from './support/assertion.js';
import { call, rejectionOf } from './support/httpsCall.js';
import { basicHeader, formEncode, thumbprintOf, tlsFor } from './support/material.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('OFP (FAPI 2.0 OP on oidc-provider)', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  const tokenWithAssertion = async (
    which: 'ps256' | 'es256',
    endpoint: string,
    options: { scope?: string; audience?: string | string[]; cert?: 'transport' | 'unregistered'; key?: 'unregisteredSigning' } = {},
  ) => {
    const key = sb.pki.signing[options.key ?? which];
    const assertion = await signAssertion(key, {
      clientId: sb.ofp.clients[which].clientId,
      audience: options.audience ?? sb.ofp.issuer,
    });
    return call(endpoint, { form: assertionForm(assertion, options.scope), tls: tlsFor(sb, options.cert ?? 'transport') });
  };

  describe('discovery', () => {
    it('publishes issuer, token_endpoint and an mTLS alias on another port', async () => {
      const res = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') });
      expect(res.status).to.equal(200);
      const doc = res.json();
      expect(doc['issuer']).to.equal(sb.ofp.issuer);
      expect(sb.ofp.issuer).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(doc['token_endpoint']).to.equal(sb.ofp.tokenEndpoint);
      expect(doc['introspection_endpoint']).to.equal(sb.ofp.introspectionEndpoint);
      const aliases = doc['mtls_endpoint_aliases'] as Record<string, string>;
      expect(aliases['token_endpoint']).to.equal(sb.ofp.mtlsTokenEndpoint);
      const alias = new URL(aliases['token_endpoint'] ?? '');
      expect(alias.hostname).to.equal('127.0.0.1');
      expect(alias.port).to.not.equal(new URL(sb.ofp.issuer).port);
    });

    it('advertises only FAPI 2.0 client authentication and certificate-bound tokens', async () => {
      const doc = (await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') })).json();
      expect(doc['token_endpoint_auth_methods_supported']).to.have.members(['private_key_jwt', 'tls_client_auth']);
      expect(doc['tls_client_certificate_bound_access_tokens']).to.equal(true);
      expect(doc['grant_types_supported']).to.include('client_credentials');
      expect(doc['scopes_supported']).to.include.members(['accounts', 'payments']);
    });

    it('is readable without a client certificate on the main listener (non-strict)', async () => {
      const res = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb) });
      expect(res.status).to.equal(200);
    });
  });

  describe('x-fapi-interaction-id', () => {
    it('echoes the request value', async () => {
      const id = '550e8400-e29b-41d4-a716-446655440000';
      const res = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport'), headers: { 'x-fapi-interaction-id': id } });
      expect(res.headers['x-fapi-interaction-id']).to.equal(id);
    });

    it('generates an RFC 4122 UUID when the request had none, on errors too', async () => {
      const ok = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') });
      const error = await call(sb.ofp.tokenEndpoint, { form: { grant_type: 'client_credentials' }, tls: tlsFor(sb, 'transport') });
      expect(error.status).to.equal(400);
      expect(ok.headers['x-fapi-interaction-id']).to.match(UUID);
      expect(error.headers['x-fapi-interaction-id']).to.match(UUID);
      expect(ok.headers['x-fapi-interaction-id']).to.not.equal(error.headers['x-fapi-interaction-id']);
    });
  });

  describe('private_key_jwt', () => {
    it('issues a PS256 client a Bearer token on the mTLS alias and counts it as alias', async () => {
      const before = { ...sb.ofp.stats.tokenRequests };
      const res = await tokenWithAssertion('ps256', sb.ofp.mtlsTokenEndpoint ?? '');
      expect(res.status, res.body).to.equal(200);
      const body = res.json();
      expect(body['token_type']).to.equal('Bearer');
      expect(body['expires_in']).to.equal(300);
      expect(body['scope']).to.equal('accounts');
      expect(body).to.not.have.property('refresh_token');
      expect(sb.ofp.stats.tokenRequests.alias).to.equal(before.alias + 1);
      expect(sb.ofp.stats.tokenRequests.main).to.equal(before.main);
    });

    it('issues an ES256 client a token on the main token endpoint and counts it as main', async () => {
      const before = { ...sb.ofp.stats.tokenRequests };
      const res = await tokenWithAssertion('es256', sb.ofp.tokenEndpoint, { scope: 'accounts payments' });
      expect(res.status, res.body).to.equal(200);
      expect(res.json()['scope']).to.equal('accounts payments');
      expect(sb.ofp.stats.tokenRequests.main).to.equal(before.main + 1);
      expect(sb.ofp.stats.tokenRequests.alias).to.equal(before.alias);
    });

    it('binds the token to the transport certificate (introspection cnf x5t#S256)', async () => {
      const token = (await tokenWithAssertion('ps256', sb.ofp.mtlsTokenEndpoint ?? '')).json()['access_token'] as string;
      const info = await sb.ofp.introspect(token);
      expect(info['active']).to.equal(true);
      expect(info['client_id']).to.equal(sb.ofp.clients.ps256.clientId);
      expect(info['cnf']).to.deep.equal({ 'x5t#S256': thumbprintOf(sb.pki.clients.transport.cert) });
      expect((await sb.ofp.introspect('not-a-token'))['active']).to.equal(false);
    });

    it('refuses an assertion signed with a key not in the client JWKS (invalid_client)', async () => {
      const res = await tokenWithAssertion('ps256', sb.ofp.tokenEndpoint, { key: 'unregisteredSigning' });
      expect(res.status).to.equal(401);
      expect(res.json()['error']).to.equal('invalid_client');
    });

    it('accepts only the issuer as audience, as a single string (FAPI 2.0)', async () => {
      const tokenEndpointAud = await tokenWithAssertion('ps256', sb.ofp.tokenEndpoint, { audience: sb.ofp.tokenEndpoint });
      const arrayAud = await tokenWithAssertion('ps256', sb.ofp.tokenEndpoint, { audience: [sb.ofp.issuer] });
      expect(tokenEndpointAud.status).to.equal(401);
      expect(tokenEndpointAud.json()['error']).to.equal('invalid_client');
      expect(arrayAud.status).to.equal(401);
    });

    it('refuses a replayed assertion (same jti)', async () => {
      const assertion = await signAssertion(sb.pki.signing.es256, { clientId: sb.ofp.clients.es256.clientId, audience: sb.ofp.issuer });
      const first = await call(sb.ofp.tokenEndpoint, { form: assertionForm(assertion), tls: tlsFor(sb, 'transport') });
      const second = await call(sb.ofp.tokenEndpoint, { form: assertionForm(assertion), tls: tlsFor(sb, 'transport') });
      expect(first.status).to.equal(200);
      expect(second.status).to.equal(401);
    });

    it('refuses the admin scope, which no client may have, and unknown scopes (invalid_scope)', async () => {
      const admin = await tokenWithAssertion('ps256', sb.ofp.tokenEndpoint, { scope: 'accounts admin' });
      const unknown = await tokenWithAssertion('ps256', sb.ofp.tokenEndpoint, { scope: 'accounts telepathy' });
      expect(admin.status).to.equal(400);
      expect(admin.json()['error']).to.equal('invalid_scope');
      expect(unknown.status).to.equal(400);
      expect(unknown.json()['error']).to.equal('invalid_scope');
    });

    it('accepts client_id in the body when it names the assertion subject, refuses a mismatch', async () => {
      const sign = () => signAssertion(sb.pki.signing.ps256, { clientId: sb.ofp.clients.ps256.clientId, audience: sb.ofp.issuer });
      const same = await call(sb.ofp.tokenEndpoint, {
        form: { ...assertionForm(await sign()), client_id: sb.ofp.clients.ps256.clientId },
        tls: tlsFor(sb, 'transport'),
      });
      const other = await call(sb.ofp.tokenEndpoint, {
        form: { ...assertionForm(await sign()), client_id: sb.ofp.clients.es256.clientId },
        tls: tlsFor(sb, 'transport'),
      });
      expect(same.status, same.body).to.equal(200);
      expect(other.status).to.equal(400);
      expect(other.json()['error']).to.equal('invalid_request');
    });

    it('refuses to issue a certificate-bound token without a client certificate', async () => {
      const assertion = await signAssertion(sb.pki.signing.ps256, { clientId: sb.ofp.clients.ps256.clientId, audience: sb.ofp.issuer });
      const res = await call(sb.ofp.tokenEndpoint, { form: assertionForm(assertion), tls: tlsFor(sb) });
      expect(res.status).to.equal(400);
      expect(res.json()['error']).to.equal('invalid_grant');
    });
  });

  describe('tls_client_auth', () => {
    it('issues a token to the registered transport certificate', async () => {
      const res = await call(sb.ofp.tokenEndpoint, {
        form: { grant_type: 'client_credentials', client_id: sb.ofp.clients.tlsClientAuth.clientId, scope: 'accounts' },
        tls: tlsFor(sb, 'transport'),
      });
      expect(res.status, res.body).to.equal(200);
      const info = await sb.ofp.introspect(res.json()['access_token'] as string);
      expect(info['client_id']).to.equal(sb.ofp.clients.tlsClientAuth.clientId);
      expect((info['cnf'] as Record<string, string>)['x5t#S256']).to.equal(thumbprintOf(sb.pki.clients.transport.cert));
    });

    it('refuses a CA-signed certificate whose subject is registered for no client', async () => {
      const res = await call(sb.ofp.tokenEndpoint, {
        form: { grant_type: 'client_credentials', client_id: sb.ofp.clients.tlsClientAuth.clientId },
        tls: tlsFor(sb, 'unregistered'),
      });
      expect(res.status).to.equal(401);
      expect(res.json()['error']).to.equal('invalid_client');
    });

    it('refuses a scope outside the client registration (payments)', async () => {
      const res = await call(sb.ofp.tokenEndpoint, {
        form: { grant_type: 'client_credentials', client_id: sb.ofp.clients.tlsClientAuth.clientId, scope: 'payments' },
        tls: tlsFor(sb, 'transport'),
      });
      expect(res.status).to.equal(400);
      expect(res.json()['error']).to.equal('invalid_scope');
    });
  });

  describe('TLS client certificates', () => {
    it('refuses an expired certificate at the handshake of the alias listener', async () => {
      const err = await rejectionOf(call(sb.ofp.mtlsTokenEndpoint ?? '', { form: { grant_type: 'client_credentials' }, tls: tlsFor(sb, 'expired') }));
      expect(err.message).to.match(/expired|ECONNRESET|socket hang up|alert/i);
    });

    it('refuses a certificate from a foreign CA, on the alias and on the main listener', async () => {
      const onAlias = await rejectionOf(call(sb.ofp.mtlsTokenEndpoint ?? '', { form: 'grant_type=client_credentials', tls: tlsFor(sb, 'foreign') }));
      const onMain = await rejectionOf(call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'foreign') }));
      expect(onAlias.message).to.match(/unknown ca|ECONNRESET|socket hang up|alert/i);
      expect(onMain.message).to.match(/ECONNRESET|socket hang up|alert/i);
    });

    it('refuses an expired certificate on the main listener too', async () => {
      const err = await rejectionOf(call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'expired') }));
      expect(err.message).to.match(/expired|ECONNRESET|socket hang up|alert/i);
    });

    it('requires a client certificate on the alias listener', async () => {
      const err = await rejectionOf(call(sb.ofp.mtlsTokenEndpoint ?? '', { form: 'grant_type=client_credentials', tls: tlsFor(sb) }));
      expect(err.message).to.match(/certificate required|ECONNRESET|socket hang up|alert/i);
    });

    it('accepts a certificate that expires in 10 days', async () => {
      const res = await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'expiringSoon') });
      expect(res.status).to.equal(200);
    });
  });

  describe('GET /providers (certificate-bound resource)', () => {
    let token: string;
    before(async () => {
      token = (await tokenWithAssertion('ps256', sb.ofp.mtlsTokenEndpoint ?? '')).json()['access_token'] as string;
    });

    it('answers 200 with the providers list to the token and the certificate it is bound to', async () => {
      const res = await call(sb.ofp.resourceUrl, { headers: { authorization: `Bearer ${token}` }, tls: tlsFor(sb, 'transport') });
      expect(res.status).to.equal(200);
      const providers = res.json()['providers'] as unknown[];
      expect(providers).to.be.an('array').with.length.greaterThan(0);
      expect(res.headers['x-fapi-interaction-id']).to.match(UUID);
    });

    it('answers 401 invalid_token when the connection presents another certificate', async () => {
      const res = await call(sb.ofp.resourceUrl, { headers: { authorization: `Bearer ${token}` }, tls: tlsFor(sb, 'unregistered') });
      expect(res.status).to.equal(401);
      expect(res.headers['www-authenticate']).to.match(/^Bearer .*error="invalid_token"/);
    });

    it('answers 401 invalid_token without a certificate', async () => {
      const res = await call(sb.ofp.resourceUrl, { headers: { authorization: `Bearer ${token}` }, tls: tlsFor(sb) });
      expect(res.status).to.equal(401);
      expect(res.headers['www-authenticate']).to.include('invalid_token');
    });

    it('answers 401 with a bare Bearer challenge without a token', async () => {
      const res = await call(sb.ofp.resourceUrl, { tls: tlsFor(sb, 'transport') });
      expect(res.status).to.equal(401);
      expect(res.headers['www-authenticate']).to.equal(`Bearer realm="${sb.ofp.issuer}"`);
    });

    it('answers 401 to a token this OP did not issue', async () => {
      const res = await call(sb.ofp.resourceUrl, { headers: { authorization: 'Bearer forged-token' }, tls: tlsFor(sb, 'transport') });
      expect(res.status).to.equal(401);
    });
  });

  describe('client_secret_basic (second, non-FAPI OP)', () => {
    const basicToken = (authorization: string) =>
      call(sb.ofp.clients.basic.tokenEndpoint, {
        form: { grant_type: 'client_credentials', scope: 'accounts' },
        headers: { authorization },
        tls: tlsFor(sb),
      });

    it('has a secret that differs once form-urlencoded', () => {
      const { clientSecret } = sb.ofp.clients.basic;
      for (const c of ['+', '/', ':', '%', '=', ' ']) expect(clientSecret).to.include(c);
      expect(formEncode(clientSecret)).to.not.equal(clientSecret);
    });

    it('accepts credentials form-urlencoded before Base64 (RFC 6749 §2.3.1)', async () => {
      const { clientId, clientSecret } = sb.ofp.clients.basic;
      const res = await basicToken(basicHeader(formEncode(clientId), formEncode(clientSecret)));
      expect(res.status, res.body).to.equal(200);
      expect(res.json()['token_type']).to.equal('Bearer');
      expect(res.json()['scope']).to.equal('accounts');
    });

    it('refuses the same credentials sent raw (401 invalid_client)', async () => {
      const { clientId, clientSecret } = sb.ofp.clients.basic;
      const res = await basicToken(basicHeader(clientId, clientSecret));
      expect(res.status).to.equal(401);
      expect(res.json()['error']).to.equal('invalid_client');
    });

    it('accepts the post client with its credentials in the form body (client_secret_post)', async () => {
      const { clientId, clientSecret, tokenEndpoint } = sb.ofp.clients.post;
      const res = await call(tokenEndpoint, { form: { grant_type: 'client_credentials', scope: 'accounts', client_id: clientId, client_secret: clientSecret }, tls: tlsFor(sb) });
      expect(res.status, res.body).to.equal(200);
      expect(res.json()['scope']).to.equal('accounts');
    });

    it('refuses the post client with a wrong secret in the body (401 invalid_client)', async () => {
      const { clientId, tokenEndpoint } = sb.ofp.clients.post;
      const res = await call(tokenEndpoint, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: 'not-the-secret' }, tls: tlsFor(sb) });
      expect(res.status).to.equal(401);
      expect(res.json()['error']).to.equal('invalid_client');
    });

    it('is a separate issuer advertising only the client secret methods', async () => {
      const doc = (await call(sb.ofp.clients.basic.discoveryUrl, { tls: tlsFor(sb) })).json();
      expect(doc['issuer']).to.equal(sb.ofp.clients.basic.issuer);
      expect(doc['issuer']).to.not.equal(sb.ofp.issuer);
      expect(doc['token_endpoint']).to.equal(sb.ofp.clients.basic.tokenEndpoint);
      expect(doc['token_endpoint_auth_methods_supported']).to.deep.equal(['client_secret_basic', 'client_secret_post']);
    });
  });

  describe('request log', () => {
    it('records method, path, lower-cased headers, body and listener of token requests', async () => {
      sb.ofp.log.clear();
      await tokenWithAssertion('es256', sb.ofp.mtlsTokenEndpoint ?? '');
      expect(sb.ofp.log).to.have.length(1);
      const [entry] = sb.ofp.log;
      expect(entry?.method).to.equal('POST');
      expect(entry?.path).to.equal('/token');
      expect(entry?.listener).to.equal('alias');
      expect(entry?.headers['content-type']).to.equal('application/x-www-form-urlencoded');
      expect(new URLSearchParams(entry?.body).get('grant_type')).to.equal('client_credentials');
      sb.ofp.log.clear();
      expect(sb.ofp.log).to.have.length(0);
    });
  });
});
