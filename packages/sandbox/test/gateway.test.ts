import { expect } from 'chai';
import { startSandbox, type Sandbox } from '../src/index.js';
import { call } from './support/httpsCall.js';
import { basicHeader, formEncode, tlsFor } from './support/material.js';

const SEED_002_FIELDS = [
  'refresh_token_expires_in',
  'api_product_list',
  'api_product_list_json',
  'organization_name',
  'token_type',
  'issued_at',
  'client_id',
  'access_token',
  'application_name',
  'scope',
  'expires_in',
  'refresh_count',
  'status',
];

describe('gateway (BNP-style, the BNP Paribas CIB gateway page (OAuth2 - Client Credentials))', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  const token = (authorization: string | undefined, form: Record<string, string> | string = { grant_type: 'client_credentials' }, headers: Record<string, string> = {}) =>
    call(sb.gateway.tokenEndpoint, {
      form,
      headers: { ...(authorization ? { authorization } : {}), ...headers },
      tls: tlsFor(sb),
    });
  const raw = () => basicHeader(sb.gateway.clientId, sb.gateway.clientSecret);

  describe('POST /oauth2/v1/token', () => {
    it('has a secret that differs once form-urlencoded', () => {
      for (const c of ['+', '/', ':', '%', '=', ' ']) expect(sb.gateway.clientSecret).to.include(c);
    });

    it('answers raw Basic credentials with exactly the BNP Paribas CIB gateway page (OAuth2 - Client Credentials) response shape', async () => {
      const before = Date.now();
      const res = await token(raw());
      expect(res.status, res.body).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      const body = res.json();
      expect(Object.keys(body)).to.have.members(SEED_002_FIELDS);
      expect(body).to.include({
        token_type: 'BearerToken',
        expires_in: '300',
        refresh_token_expires_in: '0',
        refresh_count: '0',
        status: 'approved',
        api_product_list: '[psd2-stet-v1]',
        client_id: sb.gateway.clientId,
        scope: 'pisp piisp aisp extended_transaction_history',
      });
      expect(body['api_product_list_json']).to.deep.equal(['psd2-stet-v1']);
      expect(body['organization_name']).to.be.a('string').and.not.equal('');
      expect(body['application_name']).to.be.a('string').and.not.equal('');
      expect(body['access_token']).to.match(/^[A-Za-z0-9]{28}$/);
      expect(body['issued_at']).to.be.a('string').and.match(/^\d+$/);
      expect(Number(body['issued_at'])).to.be.within(before, Date.now());
    });

    it('refuses form-urlencoded credentials (no URL-decoding) with the Apigee body', async () => {
      const res = await token(basicHeader(formEncode(sb.gateway.clientId), formEncode(sb.gateway.clientSecret)));
      expect(res.status).to.equal(401);
      expect(res.json()).to.deep.equal({ ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' });
    });

    it('refuses a wrong secret and a missing header with 401', async () => {
      const wrong = await token(basicHeader(sb.gateway.clientId, 'nope'));
      const missing = await token(undefined);
      expect(wrong.status).to.equal(401);
      expect(wrong.json()).to.deep.equal({ ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' });
      expect(missing.status).to.equal(401);
    });

    it('switches to the Apigee fault body at run time', async () => {
      sb.gateway.setErrorStyle('fault');
      try {
        const res = await token(basicHeader(sb.gateway.clientId, 'nope'));
        expect(res.status).to.equal(401);
        expect(res.json()).to.deep.equal({
          fault: { faultstring: 'Invalid client identifier', detail: { errorcode: 'oauth.v2.InvalidClientIdentifier' } },
        });
      } finally {
        sb.gateway.setErrorStyle('apigee');
      }
    });

    it('requires grant_type=client_credentials', async () => {
      const missing = await token(raw(), 'scope=aisp');
      const other = await token(raw(), { grant_type: 'password' });
      expect(missing.status).to.equal(400);
      expect(other.status).to.equal(400);
      expect(other.json()['error']).to.equal('unsupported_grant_type');
    });

    it('requires Content-Type application/x-www-form-urlencoded', async () => {
      const res = await token(raw(), JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json' });
      expect(res.status).to.equal(400);
    });

    it('grants a requested subset of scopes and refuses others with 400 invalid_scope', async () => {
      const subset = await token(raw(), { grant_type: 'client_credentials', scope: 'aisp pisp' });
      const refused = await token(raw(), { grant_type: 'client_credentials', scope: 'aisp admin' });
      expect(subset.json()['scope']).to.equal('aisp pisp');
      expect(refused.status).to.equal(400);
      expect(refused.json()).to.deep.equal({ error: 'invalid_scope' });
    });

    it('counts token requests', async () => {
      const before = sb.gateway.stats.tokenRequests;
      await token(raw());
      await token(undefined);
      expect(sb.gateway.stats.tokenRequests).to.equal(before + 2);
    });
  });

  describe('GET /hello', () => {
    let accessToken: string;
    before(async () => {
      accessToken = (await token(raw())).json()['access_token'] as string;
    });
    const hello = (authorization?: string) =>
      call(sb.gateway.helloUrl, { headers: authorization ? { authorization } : {}, tls: tlsFor(sb) });

    it('answers 200 to Bearer <token issued by the gateway>', async () => {
      const res = await hello(`Bearer ${accessToken}`);
      expect(res.status).to.equal(200);
      expect(res.json()['message']).to.be.a('string');
    });

    it('refuses the BearerToken scheme (the token_type is not an auth scheme)', async () => {
      const res = await hello(`BearerToken ${accessToken}`);
      expect(res.status).to.equal(401);
      expect(res.headers['www-authenticate']).to.match(/^Bearer /);
    });

    it('refuses no token, an unknown token and Basic credentials', async () => {
      expect((await hello()).status).to.equal(401);
      expect((await hello('Bearer forged')).status).to.equal(401);
      expect((await hello(raw())).status).to.equal(401);
    });

    it('logs what /hello received, so tests can check it never saw Basic credentials', async () => {
      sb.gateway.log.clear();
      await hello(`Bearer ${accessToken}`);
      const entries = sb.gateway.log.filter((e) => e.path === '/hello');
      expect(entries).to.have.length(1);
      expect(entries[0]?.headers.authorization).to.equal(`Bearer ${accessToken}`);
      expect(entries[0]?.listener).to.equal('gateway');
    });
  });
});
