import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { createFinauth, type Finauth, type Logger, type Telemetry } from '@finauth/core';
import { startSandbox, type Fault, type Sandbox } from '@finauth/sandbox';
import { snapBi, type SnapSigner } from '@finauth/snap-bi';
import { expect } from 'chai';
import { snapProvider } from '@finauth-test/support';
import { pemFileLines, pemLines } from '../support/pemLines.js';

const FAKE_TOKEN = 'Canary-Snap-Token-from-a-broken-bank-5e1d';
// The circuit breaker (issue 16) would fail later cases fast, without the server echoing anything: kept closed here.
const FAST = { timeoutMs: 1000, retry: { maxRetries: 1, maxDelayMs: 1000, baseDelayMs: 10 }, circuit: { failureThreshold: 1000 } };

/**
 * The canary run for SNAP BI: tokens, resource calls, a wrong key against a bank that quotes the
 * signature back, a clock out of the window, faults, failing signers and broken configs holding
 * keys inline — then every key line, every X-SIGNATURE sent and every token is searched for in
 * every log line, telemetry event and rendering of every error.
 */
describe('canary (SNAP BI): no key, signature or token in any log line or error', () => {
  let sb: Sandbox;
  const texts: { where: string; text: string }[] = [];
  const errors: unknown[] = [];
  const tokens: string[] = [];
  const inlineKeys: string[] = [];
  const logger: Logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (message: string, fields?: unknown) => texts.push({ where: `log.${level}`, text: JSON.stringify([message, fields]) })]),
  ) as unknown as Logger;
  const telemetry: Telemetry = { emit: (event) => void texts.push({ where: `telemetry.${event.name}`, text: JSON.stringify(event) }) };
  const attempt = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      const value = await action();
      if (value && typeof value === 'object' && 'accessToken' in value) tokens.push(String((value as { accessToken: string }).accessToken));
    } catch (error) {
      errors.push(error);
    }
  };

  before(async function () {
    this.timeout(60_000);
    sb = await startSandbox();
    const keyText = readFileSync(sb.snap.keys.privateKey, 'utf8');
    const leakySigner: SnapSigner = async () => {
      throw new Error(`cannot use key ${keyText}`);
    };
    const instance = (providers: Record<string, unknown>[]): Finauth => createFinauth({ strategies: [snapBi({ signers: { leaky: leakySigner } })], providers, logger, telemetry });

    const fa = instance([snapProvider(sb, FAST), snapProvider(sb, { ...FAST, id: 'snap-inline', privateKey: keyText })]);
    for (const id of ['snap', 'snap-inline']) {
      await attempt(() => fa.getToken(id));
      await attempt(() => fa.getToken(id, { forceRefresh: true }));
      await attempt(() => fa.http(id).post(sb.snap.resourceUrl, {}));
    }
    // A resource refusing the token: an AxiosError whose request carried it.
    await attempt(() => fa.http('snap').post(`${sb.snap.baseUrl}/snap/v1.0/missing`, {}));

    const broken: Fault[] = [
      { kind: 'status', status: 429, retryAfter: 3600 },
      { kind: 'status', status: 500 },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'html' },
      { kind: 'malformed-json' },
      { kind: 'json', body: { responseCode: '2007300', accessToken: FAKE_TOKEN, tokenType: 'Bearer', expiresIn: '-5' } },
      { kind: 'json', body: { responseCode: '4017300', responseMessage: `Unauthorized. ${keyText}`, accessToken: FAKE_TOKEN } },
    ];
    for (const fault of broken) {
      sb.snap.faults.set(fault);
      await attempt(() => fa.getToken('snap', { forceRefresh: true }));
      sb.snap.faults.clear();
    }

    // A key the bank does not know, against a bank that quotes the signature back; a clock out of the window.
    sb.snap.setEchoSignature(true);
    const wrong = instance([snapProvider(sb, { ...FAST, privateKey: `file:${sb.snap.keys.wrongPrivateKey}` }), snapProvider(sb, { ...FAST, id: 'snap-leaky', privateKey: undefined, signer: 'leaky' })]);
    await attempt(() => wrong.getToken('snap'));
    await attempt(() => wrong.getToken('snap-leaky'));
    await wrong.close();
    sb.snap.setEchoSignature(false);
    sb.snap.setClockOffset(10 * 60_000);
    await attempt(() => fa.getToken('snap', { forceRefresh: true }));
    sb.snap.setClockOffset(0);

    // Broken configs with keys inline.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    inlineKeys.push(weak, ec, keyText);
    await attempt(async () => instance([snapProvider(sb, { privateKey: weak })]));
    await attempt(async () => instance([snapProvider(sb, { privateKey: ec })]));
    await attempt(async () => instance([snapProvider(sb, { privateKey: keyText.replace('BEGIN RSA PRIVATE KEY', 'BEGIN ENCRYPTED PRIVATE KEY') })]));
    await attempt(async () => instance([snapProvider(sb, { privateKey: keyText, signer: 'leaky' })]));
    await attempt(async () => instance([snapProvider(sb, { privateKey: keyText, headers: { 'X-SIGNATURE': keyText.slice(40, 80) } })]));

    await fa.close();
    for (const [i, error] of errors.entries()) {
      const e = error as Error;
      texts.push({ where: `error[${i}].message`, text: String(e?.message) });
      texts.push({ where: `error[${i}].stack`, text: String(e?.stack) });
      texts.push({ where: `error[${i}] String()`, text: String(error) });
      texts.push({ where: `error[${i}] JSON`, text: JSON.stringify(error) ?? '' });
      texts.push({ where: `error[${i}] inspect`, text: inspect(error, { depth: 8 }) });
    }
  });
  after(async () => {
    await sb?.stop();
  });

  function canaries(): string[] {
    const signatures = sb.snap.log.map((r) => String(r.headers['x-signature'] ?? '')).filter(Boolean);
    const bearer = sb.snap.log.map((r) => String(r.headers['authorization'] ?? '').replace(/^\S+\s+/, '')).filter(Boolean);
    const keys = [sb.snap.keys.privateKey, sb.snap.keys.privateKeyPkcs8, sb.snap.keys.wrongPrivateKey].flatMap(pemFileLines);
    const values = [FAKE_TOKEN, ...tokens, ...signatures, ...bearer, ...keys, ...inlineKeys.flatMap(pemLines)];
    return [...new Set(values.filter((v) => v.length >= 8))];
  }

  it('the run exercised what it should (tokens, signatures, echoes, errors, log lines)', () => {
    expect(tokens.length).to.be.at.least(4);
    expect(sb.snap.log.filter((r) => r.headers['x-signature']).length).to.be.at.least(10);
    expect(errors.length).to.be.at.least(15);
    // The bank quoted the wrong signature back, and the key in a 4017300 message: both reached finauth, masked.
    expect(errors.filter((e) => String((e as Error).message).includes('[REDACTED]')).length).to.be.at.least(2);
    expect(errors.filter((e) => (e as Error).name === 'AxiosError').length).to.equal(1);
    expect(texts.some((t) => t.where.startsWith('log.') || t.where.startsWith('telemetry.'))).to.equal(true);
  });

  it('no canary appears anywhere', () => {
    const leaks: string[] = [];
    for (const canary of canaries()) {
      for (const { where, text } of texts) if (text.includes(canary)) leaks.push(`${where} contains ${canary.slice(0, 6)}… (${canary.length} chars)`);
    }
    expect(leaks, leaks.slice(0, 20).join('\n')).to.deep.equal([]);
  });
});
