import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generatePki, startStetLike, type EmulatedServer } from '../src/index.js';
import { call } from './support/httpsCall.js';
import { basicHeader } from './support/material.js';

/** The STET-style emulator reads client credentials from the token request's query and nowhere else. */
describe('STET-like token endpoint (credentials in the query only)', () => {
  const clientId = 'PSDFR-ACPR-12345';
  const clientSecret = 'q+u/e:r%y s&e=cret';
  let dir: string;
  let ca: string;
  let server: EmulatedServer;
  let careless: EmulatedServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-stet-'));
    const pki = await generatePki(dir);
    ca = readFileSync(pki.caCert, 'utf8');
    const tls = { key: readFileSync(pki.serverKey, 'utf8'), cert: readFileSync(pki.serverCert, 'utf8'), ca };
    server = await startStetLike({ tls, clientId, clientSecret });
    careless = await startStetLike({ tls, clientId, clientSecret, echoRequestInErrors: true });
  });
  after(async () => {
    await server?.stop();
    await careless?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.faults.clear();
    server.stats.reasons.length = 0;
  });

  const withQuery = (base: string, params: Record<string, string>): string => `${base}?${new URLSearchParams(params).toString()}`;

  it('issues a token when client_id and client_secret are in the query', async () => {
    const res = await call(withQuery(server.tokenEndpoint, { client_id: clientId, client_secret: clientSecret }), { form: { grant_type: 'client_credentials' }, tls: { ca } });
    expect(res.status).to.equal(200);
    expect(res.json()).to.include({ token_type: 'Bearer', expires_in: 300 });
    expect(res.json()['access_token']).to.be.a('string');
  });

  it('refuses the same credentials in the body (client_secret_post as RFC 6749 has it) and in a Basic header', async () => {
    const inBody = await call(server.tokenEndpoint, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, tls: { ca } });
    const inHeader = await call(server.tokenEndpoint, { form: { grant_type: 'client_credentials' }, headers: { authorization: basicHeader(clientId, clientSecret) }, tls: { ca } });
    expect([inBody.status, inBody.json()['error'], inHeader.status, inHeader.json()['error']]).to.deep.equal([401, 'invalid_client', 401, 'invalid_client']);
    expect(server.stats.reasons).to.deep.equal(['no credentials in the query (sent in the body)', 'no credentials in the query (sent in an Authorization header)']);
  });

  it('refuses a wrong secret and a wrong client id in the query', async () => {
    const wrongSecret = await call(withQuery(server.tokenEndpoint, { client_id: clientId, client_secret: `${clientSecret}x` }), { form: { grant_type: 'client_credentials' }, tls: { ca } });
    const wrongId = await call(withQuery(server.tokenEndpoint, { client_id: 'PSDFR-ACPR-00000', client_secret: clientSecret }), { form: { grant_type: 'client_credentials' }, tls: { ca } });
    expect([wrongSecret.status, wrongId.status]).to.deep.equal([401, 401]);
    expect([wrongSecret.json()['error'], wrongId.json()['error']]).to.deep.equal(['invalid_client', 'invalid_client']);
    expect(server.stats.reasons).to.deep.equal(['query credentials do not match', 'query credentials do not match']);
  });

  it('the careless variant quotes the request, query and secret, in its refusal', async () => {
    const url = withQuery(careless.tokenEndpoint, { client_id: clientId, client_secret: 'wrong-secret-value' });
    const res = await call(url, { form: { grant_type: 'client_credentials' }, tls: { ca } });
    expect(res.status).to.equal(401);
    expect(String(res.json()['error_description'])).to.contain('client_secret=wrong-secret-value');
  });

  it('applies injected faults to token requests', async () => {
    server.faults.set({ kind: 'status', status: 500, times: 1 });
    const url = withQuery(server.tokenEndpoint, { client_id: clientId, client_secret: clientSecret });
    const failed = await call(url, { form: { grant_type: 'client_credentials' }, tls: { ca } });
    const next = await call(url, { form: { grant_type: 'client_credentials' }, tls: { ca } });
    expect([failed.status, next.status]).to.deep.equal([500, 200]);
  });
});
