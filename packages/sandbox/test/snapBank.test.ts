import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { startSandbox, type Sandbox } from '../src/index.js';
import { call, type CallResult } from './support/httpsCall.js';

/** `2026-11-29T17:10:15+07:00` for `ms`. */
function jakarta(ms: number): string {
  return `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

describe('SNAP BI bank (sandbox)', () => {
  let sb: Sandbox;
  let partner: KeyObject;
  let stranger: KeyObject;
  let ca: string;
  before(async () => {
    sb = await startSandbox();
    partner = createPrivateKey(readFileSync(sb.snap.keys.privateKey, 'utf8'));
    stranger = createPrivateKey(readFileSync(sb.snap.keys.wrongPrivateKey, 'utf8'));
    ca = readFileSync(sb.pki.caCert, 'utf8');
  });
  after(async () => {
    await sb.stop();
  });
  beforeEach(() => {
    sb.snap.faults.clear();
    sb.snap.setClockOffset(0);
    sb.snap.setEchoSignature(false);
  });

  function tokenCall(over: { key?: KeyObject; clientKey?: string; timestamp?: string; body?: string; headers?: Record<string, string>; omit?: string } = {}): Promise<CallResult> {
    const clientKey = over.clientKey ?? sb.snap.clientKey;
    const timestamp = over.timestamp ?? jakarta(Date.now());
    const signature = sign('sha256', Buffer.from(`${clientKey}|${timestamp}`), over.key ?? partner).toString('base64');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-client-key': clientKey, 'x-timestamp': timestamp, 'x-signature': signature, ...over.headers };
    if (over.omit) delete headers[over.omit];
    return call(sb.snap.tokenEndpoint, { method: 'POST', headers, form: over.body ?? '{"grantType":"client_credentials"}', tls: { ca } });
  }

  it('issues a token for a correct signature: 200, responseCode 2007300, camelCase, expiresIn a string', async () => {
    const res = await tokenCall();
    expect(res.status).to.equal(200);
    const body = res.json();
    expect(body).to.include({ responseCode: '2007300', responseMessage: 'Successful', tokenType: 'Bearer', expiresIn: '300' });
    expect(body['accessToken']).to.be.a('string');
    const balance = await call(sb.snap.resourceUrl, { method: 'POST', headers: { authorization: `Bearer ${String(body['accessToken'])}` }, tls: { ca } });
    expect(balance.json()['responseCode']).to.equal('2001100');
  });

  it('verifies the signature with the registered public key: another key is 401 4017300', async () => {
    const res = await tokenCall({ key: stranger });
    expect(res.status).to.equal(401);
    expect(res.json()).to.deep.equal({ responseCode: '4017300', responseMessage: 'Unauthorized. Signature' });
  });

  it('signs over clientKey|timestamp: a signature for another timestamp is refused', async () => {
    const now = Date.now();
    const signature = sign('sha256', Buffer.from(`${sb.snap.clientKey}|${jakarta(now - 1000)}`), partner).toString('base64');
    const res = await tokenCall({ timestamp: jakarta(now), headers: { 'x-signature': signature } });
    expect(res.json()['responseCode']).to.equal('4017300');
  });

  it('rejects a timestamp more than 5 minutes off the bank clock, either way; accepts 4 minutes', async () => {
    for (const offset of [6 * 60_000, -6 * 60_000]) {
      const res = await tokenCall({ timestamp: jakarta(Date.now() + offset) });
      expect(res.status, String(offset)).to.equal(401);
      expect(res.json()['responseMessage']).to.contain('5 minutes');
    }
    expect((await tokenCall({ timestamp: jakarta(Date.now() - 4 * 60_000) })).status).to.equal(200);
    sb.snap.setClockOffset(10 * 60_000);
    expect((await tokenCall()).json()['responseCode']).to.equal('4017300');
  });

  it('answers the standard codes for missing and malformed fields', async () => {
    expect((await tokenCall({ omit: 'x-timestamp' })).json()).to.deep.equal({ responseCode: '4007302', responseMessage: 'Invalid Mandatory Field X-TIMESTAMP' });
    expect((await tokenCall({ omit: 'x-signature' })).json()['responseCode']).to.equal('4007302');
    expect((await tokenCall({ timestamp: '2026-11-29 17:10:15' })).json()).to.deep.equal({ responseCode: '4007301', responseMessage: 'Invalid Field Format X-TIMESTAMP' });
    expect((await tokenCall({ body: '{}' })).json()).to.deep.equal({ responseCode: '4007302', responseMessage: 'Invalid Mandatory Field grantType' });
    expect((await tokenCall({ body: '{"grantType":"password"}' })).json()['responseCode']).to.equal('4007301');
    expect((await tokenCall({ body: 'grantType=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).json()['responseCode']).to.equal('4007301');
    expect((await tokenCall({ clientKey: 'somebody-else' })).json()).to.deep.equal({ responseCode: '4017300', responseMessage: 'Unauthorized. Unknown client' });
  });

  it('counts requests and issued tokens; a status fault gets the SNAP code of its family', async () => {
    const before = { ...sb.snap.stats };
    sb.snap.faults.set({ kind: 'status', status: 503, times: 1 });
    const faulted = await tokenCall();
    expect(faulted.status).to.equal(503);
    expect(faulted.json()['responseCode']).to.equal('5037300');
    expect((await tokenCall()).status).to.equal(200);
    expect(sb.snap.stats.tokenRequests - before.tokenRequests).to.equal(2);
    expect(sb.snap.stats.tokensIssued - before.tokensIssued).to.equal(1);
  });

  it('quotes a bad signature back when asked to (for redaction tests)', async () => {
    sb.snap.setEchoSignature(true);
    const res = await tokenCall({ key: stranger });
    expect(String(res.json()['responseMessage'])).to.contain(String(sb.snap.log.at(-1)?.headers['x-signature']));
  });

  it('refuses the balance inquiry without a token it issued', async () => {
    const res = await call(sb.snap.resourceUrl, { method: 'POST', headers: { authorization: 'Bearer nope' }, tls: { ca } });
    expect(res.status).to.equal(401);
    expect(res.json()['responseCode']).to.equal('4011101');
  });
});
