import { createPrivateKey, sign as rsaSign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { createFinauth, TokenEndpointError, TransportError, type Finauth, type FinauthOptions } from '@finauth/core';
import { expect } from 'chai';
import { rejection, sandboxSuite, snapProvider } from '@finauth-test/support';
import { parseSnapTimestamp, snapBi, type SnapSigner } from '../src/index.js';
import { ShiftedClock } from './support/ShiftedClock.js';

/** Indonesia's SNAP BI B2B access token against the sandbox's SNAP bank, over real TLS. */
describe('snap_bi against the sandbox SNAP BI bank', () => {
  const suite = sandboxSuite();
  let auth: Finauth | undefined;
  let keyLines: string[];

  before(async () => {
    keyLines = [suite.sandbox.snap.keys.privateKey, suite.sandbox.snap.keys.privateKeyPkcs8, suite.sandbox.snap.keys.wrongPrivateKey]
      .flatMap((path) => readFileSync(path, 'utf8').split('\n'))
      .filter((l) => l.length >= 16 && !l.startsWith('-----'));
  });
  beforeEach(() => {
    suite.sandbox.snap.setClockOffset(0);
    suite.sandbox.snap.setEchoSignature(false);
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  function connect(extra: Record<string, unknown> = {}, options: Partial<FinauthOptions> & { signers?: Record<string, SnapSigner> } = {}): Finauth {
    const { signers, ...rest } = options;
    auth = createFinauth({ strategies: [snapBi(signers ? { signers } : {})], providers: [snapProvider(suite.sandbox, extra)], ...rest });
    return auth;
  }
  const tokenRequests = () => suite.sandbox.snap.log.filter((r) => r.path.startsWith('/snap/v1.0/access-token/b2b'));
  /** No key line, no sent signature, in any rendering of the error. */
  const expectNoKeyMaterial = (error: unknown): void => {
    const sent = tokenRequests().map((r) => String(r.headers['x-signature'] ?? '')).filter((s) => s.length > 0);
    const texts = [String((error as Error).message), JSON.stringify(error), String((error as Error).stack), inspect(error, { depth: 5 })];
    for (const text of texts) {
      for (const line of keyLines) expect(text).not.to.contain(line);
      for (const signature of sent) expect(text).not.to.contain(signature);
    }
  };

  it('gets a token: JSON body, the three headers, a signature the bank verifies, camelCase answer read, raw kept', async () => {
    const before = Date.now();
    const token = await connect().getToken('snap');
    const after = Date.now();
    expect(token.accessToken).to.be.a('string').and.not.equal('');
    expect(token.tokenType).to.equal('Bearer');
    expect(token.raw).to.include({ responseCode: '2007300', responseMessage: 'Successful', accessToken: token.accessToken, expiresIn: '300' });
    expect(token.expiresAt!.getTime()).to.be.within(before + 300_000 - 1000, after + 300_000);
    const [sent] = tokenRequests();
    expect(sent?.method).to.equal('POST');
    expect(sent?.body).to.equal('{"grantType":"client_credentials"}');
    expect(sent?.headers['content-type']).to.equal('application/json');
    expect(sent?.headers['x-client-key']).to.equal(suite.sandbox.snap.clientKey);
    const timestamp = String(sent?.headers['x-timestamp']);
    expect(timestamp).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(parseSnapTimestamp(timestamp)).to.be.within(before - 1000, after);
    expect(verify('sha256', Buffer.from(`${suite.sandbox.snap.clientKey}|${timestamp}`), suite.sandbox.snap.keys.publicKeyPem, Buffer.from(String(sent?.headers['x-signature']), 'base64'))).to.equal(true);
    expect(sent?.headers['authorization']).to.equal(undefined);
  });

  it('calls a protected resource with the token through http()', async () => {
    const a = connect();
    const res = await a.http('snap').post(suite.sandbox.snap.resourceUrl, { partnerReferenceNo: '1' });
    expect(res.status).to.equal(200);
    expect((res.data as { responseCode?: string }).responseCode).to.equal('2001100');
  });

  it('serves the cached token without another request while it is fresh', async () => {
    const a = connect();
    const first = await a.getToken('snap');
    const second = await a.getToken('snap');
    expect(second.accessToken).to.equal(first.accessToken);
    expect(tokenRequests()).to.have.length(1);
  });

  it('shares one request between 200 concurrent callers (single flight)', async () => {
    const a = connect();
    const before = suite.sandbox.snap.stats.tokenRequests;
    const tokens = await Promise.all(Array.from({ length: 200 }, () => a.getToken('snap')));
    expect(new Set(tokens.map((t) => t.accessToken)).size).to.equal(1);
    expect(suite.sandbox.snap.stats.tokenRequests - before).to.equal(1);
  });

  it('signs with a PKCS#8 file too, and with X-TIMESTAMP in another offset and with milliseconds', async () => {
    const token = await connect({ privateKey: `file:${suite.sandbox.snap.keys.privateKeyPkcs8}`, timestampOffset: '+08:00', timestampPrecision: 'milliseconds' }).getToken('snap');
    expect(token.accessToken).to.be.a('string');
    expect(String(tokenRequests()[0]?.headers['x-timestamp'])).to.match(/T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
  });

  it('sends extra headers (X-PARTNER-ID, CHANNEL-ID) beside the signed ones', async () => {
    await connect({ headers: { 'X-PARTNER-ID': 'partner-9', 'CHANNEL-ID': '95221' } }).getToken('snap');
    expect(tokenRequests()[0]?.headers).to.include({ 'x-partner-id': 'partner-9', 'channel-id': '95221' });
  });

  it('wrong key → TokenEndpointError 4017300, status 401, not retried, no key material in it', async () => {
    const error = await rejection(connect({ privateKey: `file:${suite.sandbox.snap.keys.wrongPrivateKey}` }).getToken('snap'));
    expect(TokenEndpointError.is(error)).to.equal(true);
    const e = error as TokenEndpointError;
    expect(e.error).to.equal('4017300');
    expect(e.status).to.equal(401);
    expect(e.retryable).to.equal(false);
    expect(e.providerId).to.equal('snap');
    expect(tokenRequests()).to.have.length(1);
    expectNoKeyMaterial(error);
  });

  it('a bank quoting the signature back: the message keeps the code, never the signature', async () => {
    suite.sandbox.snap.setEchoSignature(true);
    const error = await rejection(connect({ privateKey: `file:${suite.sandbox.snap.keys.wrongPrivateKey}` }).getToken('snap'));
    const e = error as TokenEndpointError;
    expect(e.error).to.equal('4017300');
    expect(e.errorDescription).to.contain('[REDACTED]');
    expectNoKeyMaterial(error);
  });

  it('client clock 6 minutes ahead (beyond the 5-minute window) → TokenEndpointError 4017300', async () => {
    const error = await rejection(connect({}, { clock: new ShiftedClock(6 * 60_000) }).getToken('snap'));
    expect(TokenEndpointError.is(error) && error.error).to.equal('4017300');
    expect((error as TokenEndpointError).errorDescription).to.contain('5 minutes');
    expect((error as TokenEndpointError).retryable).to.equal(false);
    expectNoKeyMaterial(error);
  });

  it('client clock 6 minutes behind → the same typed error; 4 minutes off is inside the window', async () => {
    const behind = await rejection(connect({}, { clock: new ShiftedClock(-6 * 60_000) }).getToken('snap'));
    expect(TokenEndpointError.is(behind) && behind.error).to.equal('4017300');
    await auth?.close();
    const token = await connect({}, { clock: new ShiftedClock(-4 * 60_000) }).getToken('snap');
    expect(token.accessToken).to.be.a('string');
  });

  it('retries 5007300 (HTTP 500) with a fresh timestamp and signature per attempt', async () => {
    suite.sandbox.snap.faults.set({ kind: 'status', status: 500, times: 2 });
    const clock = new ShiftedClock();
    const token = await connect({}, { clock }).getToken('snap');
    expect(token.accessToken).to.be.a('string');
    const sent = tokenRequests();
    expect(sent).to.have.length(3);
    const stamps = sent.map((r) => String(r.headers['x-timestamp']));
    expect(new Set(stamps).size, 'one timestamp per attempt').to.equal(3);
    expect(new Set(sent.map((r) => r.headers['x-signature'])).size).to.equal(3);
    for (const r of sent) {
      expect(verify('sha256', Buffer.from(`${suite.sandbox.snap.clientKey}|${String(r.headers['x-timestamp'])}`), suite.sandbox.snap.keys.publicKeyPem, Buffer.from(String(r.headers['x-signature']), 'base64'))).to.equal(true);
    }
    expect(clock.sleeps).to.have.length(2);
  });

  it('retries throttling (4297300, Retry-After) and gives up after maxRetries with the SNAP code', async () => {
    suite.sandbox.snap.faults.set({ kind: 'status', status: 429, retryAfter: 1 });
    const clock = new ShiftedClock();
    const error = await rejection(connect({}, { clock }).getToken('snap'));
    expect(TokenEndpointError.is(error) && error.error).to.equal('4297300');
    expect((error as TokenEndpointError).retryable).to.equal(true);
    expect(tokenRequests()).to.have.length(3);
    expect(clock.sleeps.every((ms) => ms >= 1000)).to.equal(true);
    expectNoKeyMaterial(error);
  });

  it('does not retry 4007302 (invalid mandatory field)', async () => {
    suite.sandbox.snap.faults.set({ kind: 'json', status: 400, body: { responseCode: '4007302', responseMessage: 'Invalid Mandatory Field grantType' }, times: 1 });
    const error = await rejection(connect().getToken('snap'));
    expect(TokenEndpointError.is(error) && error.error).to.equal('4007302');
    expect((error as TokenEndpointError).errorDescription).to.equal('Invalid Mandatory Field grantType');
    expect(tokenRequests()).to.have.length(1);
  });

  it('retries a network reset, then gets a token', async () => {
    suite.sandbox.snap.faults.set({ kind: 'reset', times: 1 });
    const token = await connect({}, { clock: new ShiftedClock() }).getToken('snap');
    expect(token.accessToken).to.be.a('string');
    expect(suite.sandbox.snap.stats.tokenRequests).to.be.greaterThan(1);
  });

  describe('programmatic signer (HSM / KMS shape)', () => {
    it('signs through the signer: the bank verifies it; the signer sees only clientKey|timestamp', async () => {
      const key = createPrivateKey(readFileSync(suite.sandbox.snap.keys.privateKeyPkcs8, 'utf8'));
      const seen: string[] = [];
      const hsm: SnapSigner = async (data) => {
        seen.push(Buffer.from(data).toString('utf8'));
        return rsaSign('sha256', data, key);
      };
      const token = await connect({ privateKey: undefined, signer: 'hsm' }, { signers: { hsm } }).getToken('snap');
      expect(token.accessToken).to.be.a('string');
      expect(seen).to.deep.equal([`${suite.sandbox.snap.clientKey}|${String(tokenRequests()[0]?.headers['x-timestamp'])}`]);
    });

    it('a failing signer → TransportError naming the signer, not its message', async () => {
      const broken: SnapSigner = async () => {
        throw new Error('PKCS#11 session for key snap-partner closed (pin 1234)');
      };
      const error = await rejection(connect({ privateKey: undefined, signer: 'hsm', retry: { maxRetries: 0 } }, { signers: { hsm: broken } }).getToken('snap'));
      expect(TransportError.is(error)).to.equal(true);
      expect((error as Error).message).to.contain('signer:hsm').and.not.contain('1234');
      expect(tokenRequests()).to.have.length(0);
    });
  });
});
