import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { clientSecretPost } from '@finauth-test/client-secret-post';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, type Finauth, type Logger, type Telemetry } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { openTelemetry } from '@finauth/opentelemetry';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { expect } from 'chai';
import { gatewayProvider, ofpPostProvider } from '@finauth-test/support';
import { recordingOtel } from '../support/otelSdk.js';
import { fapiKeyJwt, fapiTlsAuth } from '../support/providers.js';
import { pemFileLines } from '../support/pemLines.js';

const WRONG_SECRET = 'Canary-Wrong-Secret-7f3a9b+/:%41= z';
const FAKE_TOKEN = 'Canary-Token-from-a-broken-server-91c2';
// The circuit breaker (issue 16) would fail later cases fast, without the server echoing anything: kept closed here.
const FAST = { timeoutMs: 1000, retry: { maxRetries: 1, maxDelayMs: 1000, baseDelayMs: 10 }, circuit: { failureThreshold: 1000 } };

/**
 * Issue 7 (and issue 2 §10): a broad run through every strategy — tokens, resource calls, wrong
 * secrets, wrong keys, faults, servers echoing credentials, broken configs — with recognisable
 * secrets, keys and tokens, then a search for every one of them in everything finauth produced:
 * log lines, telemetry, error messages, stacks, String(error), JSON.stringify(error) and
 * util.inspect(error) (what console.log prints).
 */
describe('canary: no secret, key, assertion or token in any log line or error', () => {
  let sb: Sandbox;
  const texts: { where: string; text: string }[] = [];
  const errors: unknown[] = [];
  const tokens: string[] = [];
  const logger: Logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (message: string, fields?: unknown) => texts.push({ where: `log.${level}`, text: JSON.stringify([message, fields]) })]),
  ) as unknown as Logger;
  // Issue 17: the OpenTelemetry adapter, on the real SDK, sees the same run; its spans and metrics are searched too.
  const otel = recordingOtel();
  const otelTelemetry = openTelemetry({ tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider, propagateTraceContext: true });
  const telemetry: Telemetry = {
    emit: (event) => {
      texts.push({ where: `telemetry.${event.name}`, text: JSON.stringify(event) });
      otelTelemetry.emit(event);
    },
    startSpan: otelTelemetry.startSpan!,
  };

  const instance = (providers: Record<string, unknown>[]): Finauth => createFinauth({ strategies: [fapi2(), clientSecretBasic(), clientSecretPost()], providers, logger, telemetry });
  const attempt = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      const value = await action();
      if (value && typeof value === 'object' && 'accessToken' in value) tokens.push(String((value as { accessToken: string }).accessToken));
    } catch (error) {
      errors.push(error);
    }
  };
  const post = (extra: Record<string, unknown> = {}): Record<string, unknown> => ofpPostProvider(sb, { id: 'post', ...FAST, ...extra });

  /** client_secret_basic against the non-FAPI OP: form-urlencoded credentials, a secret with `+ / : % =` and a space. */
  const ofpBasic = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'ofp-basic',
    strategy: 'client_secret_basic',
    tokenEndpoint: sb.ofp.clients.basic.tokenEndpoint,
    clientId: sb.ofp.clients.basic.clientId,
    clientSecret: sb.ofp.clients.basic.clientSecret,
    scope: 'accounts',
    tls: { ca: `file:${sb.pki.caCert}` },
    ...FAST,
    ...extra,
  });

  before(async function () {
    this.timeout(60_000);
    sb = await startSandbox();
    // Issue 15: a DPoP-bound provider with a configured key (its PEM lines are canaries too).
    writeFileSync(dpopKeyFile(), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const dpopProvider = fapiKeyJwt(sb, { ...FAST, id: 'ofp-dpop', clientId: sb.ofp.clients.dpop.clientId, dpop: { alg: 'ES256', key: `file:${dpopKeyFile()}` } });
    const providers = [fapiKeyJwt(sb, FAST), fapiTlsAuth(sb, FAST), gatewayProvider(sb, FAST), post(), ofpBasic(), dpopProvider];
    const fa = instance(providers);
    const ids = ['ofp-pkjwt', 'ofp-mtls', 'bnp', 'post', 'ofp-basic', 'ofp-dpop'];

    // Tokens, forced refreshes, resource calls (the fapi2 resource wants a token bound to the certificate).
    for (const id of ids) {
      await attempt(() => fa.getToken(id));
      await attempt(() => fa.getToken(id, { forceRefresh: true }));
    }
    for (const id of ['ofp-pkjwt', 'ofp-mtls']) await attempt(() => fa.http(id).get(sb.ofp.resourceUrl));
    await attempt(() => fa.http('ofp-dpop').get(sb.ofp.dpop.resourceUrl));
    await attempt(() => fa.http('bnp').get(sb.gateway.helloUrl));
    // A resource that refuses the token (the gateway's token is not bound to a certificate): 401, a
    // fresh token, 401 again — an AxiosError whose request carried the bearer token.
    await attempt(() => fa.http('bnp').get(sb.ofp.resourceUrl));
    await attempt(() => fa.http('ofp-pkjwt').get(`${sb.ofp.resourceUrl}-missing`));

    // Servers that misbehave, some echoing the credentials the provider sent back in their error text.
    const basicHeader = Buffer.from(`${sb.gateway.clientId}:${sb.gateway.clientSecret}`).toString('base64');
    const echoes = (secret: string, header = ''): object[] => [
      { kind: 'status', status: 400, body: { error: 'invalid_client', error_description: `client secret ${secret} rejected${header ? ` (Authorization: Basic ${header})` : ''}` } },
      { kind: 'status', status: 401, body: { ErrorCode: 'invalid_client', Error: `ClientId with secret ${secret} is invalid` } },
      { kind: 'status', status: 404, body: { errors: [`secret ${secret}`] } },
    ];
    const broken: object[] = [
      { kind: 'status', status: 429, retryAfter: 3600 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'html' },
      { kind: 'malformed-json' },
      { kind: 'json', body: { access_token: FAKE_TOKEN, token_type: 'Bearer', expires_in: -5 } },
      { kind: 'json', body: { access_token: FAKE_TOKEN, token_type: 'mac', expires_in: 'soon' } },
    ];
    // A server can only echo what it was sent: the fapi2 providers send no secret (an assertion, or nothing).
    const cases = [
      [sb.gateway.faults, 'bnp', [...echoes(sb.gateway.clientSecret, basicHeader), ...broken]],
      [sb.ofp.faults, 'post', [...echoes(sb.ofp.clients.post.clientSecret), ...broken]],
      [sb.ofp.faults, 'ofp-basic', [...echoes(sb.ofp.clients.basic.clientSecret), ...broken]],
      [sb.ofp.faults, 'ofp-pkjwt', broken],
      [sb.ofp.faults, 'ofp-mtls', broken],
    ] as const;
    for (const [faults, id, list] of cases) {
      for (const fault of list) {
        faults.set(fault as never);
        await attempt(() => fa.getToken(id, { forceRefresh: true }));
        faults.clear();
      }
    }

    // Wrong credentials and keys.
    const wrong = instance([gatewayProvider(sb, { ...FAST, clientSecret: WRONG_SECRET }), post({ clientSecret: WRONG_SECRET }), ofpBasic({ clientSecret: WRONG_SECRET }), fapiKeyJwt(sb, { ...FAST, clientAuth: { method: 'private_key_jwt', signingKey: `file:${sb.pki.signing.unregisteredSigning.key}`, alg: 'PS256' } })]);
    for (const id of ['bnp', 'post', 'ofp-basic', 'ofp-pkjwt']) await attempt(() => wrong.getToken(id));
    await wrong.close();

    // Broken configs holding secrets and keys inline.
    const inlineKey = readFileSync(sb.pki.clients.transport.key, 'utf8');
    await attempt(async () => instance([gatewayProvider(sb, { clientId: 'a:b', credentialEncoding: 'raw', clientSecret: WRONG_SECRET })]));
    await attempt(async () => instance([gatewayProvider(sb, { clientSecret: WRONG_SECRET, scope: 42 })]));
    await attempt(async () => instance([fapiTlsAuth(sb, { tls: { cert: inlineKey, key: inlineKey } })]));
    await attempt(async () => instance([fapiKeyJwt(sb, { clientAuth: { method: 'private_key_jwt', signingKey: inlineKey.replace('PRIVATE KEY', 'RSA PRIVATE KEY'), alg: 'PS256' } })]));
    await attempt(async () => instance([fapiKeyJwt(sb, { clientAuth: { method: 'private_key_jwt', signingKey: readFileSync(sb.pki.signing.es256.key, 'utf8'), alg: 'PS256' } })]));

    await fa.close();
    await attempt(() => fa.getToken('bnp'));

    for (const [i, error] of errors.entries()) {
      const e = error as Error;
      texts.push({ where: `error[${i}].message`, text: String(e?.message) });
      texts.push({ where: `error[${i}].stack`, text: String(e?.stack) });
      texts.push({ where: `error[${i}] String()`, text: String(error) });
      texts.push({ where: `error[${i}] JSON`, text: JSON.stringify(error) ?? '' });
      texts.push({ where: `error[${i}] inspect`, text: inspect(error, { depth: 8 }) });
    }
    texts.push(...(await otel.texts()));
  });
  const dpopKeyFile = (): string => join(sb.dir, 'canary-dpop.pem');
  after(async () => {
    await otel.shutdown();
    await sb?.stop();
  });

  /** Every credential that crossed the wire, as the servers logged it, plus the configured ones. */
  function canaries(): string[] {
    const sent = [...sb.ofp.log, ...sb.gateway.log];
    const authorization = sent.map((r) => String(r.headers['authorization'] ?? '').replace(/^\S+\s+/, '')).filter(Boolean);
    const formSecrets = sent.flatMap((r) => {
      const form = new URLSearchParams(r.body);
      return ['client_assertion', 'client_secret'].map((k) => form.get(k)).filter((v): v is string => !!v);
    });
    const keys = [sb.pki.signing.ps256.key, sb.pki.signing.es256.key, sb.pki.signing.unregisteredSigning.key, sb.pki.clients.transport.key, dpopKeyFile()].flatMap(pemFileLines);
    const values = [sb.gateway.clientSecret, sb.ofp.clients.post.clientSecret, sb.ofp.clients.basic.clientSecret, WRONG_SECRET, FAKE_TOKEN, ...tokens, ...authorization, ...formSecrets, ...keys];
    return [...new Set(values.filter((v) => v.length >= 8))];
  }

  it('the run exercised what it should (tokens, assertions, Basic headers, errors, log lines)', () => {
    const sent = [...sb.ofp.log, ...sb.gateway.log];
    expect(tokens.length).to.be.at.least(10);
    expect(sent.some((r) => r.body.includes('client_assertion='))).to.equal(true);
    expect(sent.some((r) => String(r.headers['authorization']).startsWith('Basic '))).to.equal(true);
    expect(sent.some((r) => String(r.headers['authorization']).startsWith('Bearer '))).to.equal(true);
    expect(errors.length).to.be.at.least(40);
    // The servers' echoes reached finauth and were masked (3 echo faults × 3 secret-sending providers).
    expect(errors.filter((e) => String((e as Error).message).includes('[REDACTED]')).length).to.equal(9);
    // Resource errors (AxiosErrors) are part of the search.
    expect(errors.filter((e) => (e as Error).name === 'AxiosError').length).to.equal(2);
    expect(texts.filter((t) => t.where.startsWith('log.') || t.where.startsWith('telemetry.')).length).to.be.greaterThan(0);
    // OpenTelemetry saw fetches, failed attempts and discovery, and recorded metrics.
    const otelTexts = texts.filter((t) => t.where.startsWith('otel.'));
    expect(otelTexts.filter((t) => t.where === 'otel.span.finauth.token.attempt' && t.text.includes('"error.type"')).length).to.be.greaterThan(20);
    expect(otelTexts.some((t) => t.where === 'otel.span.finauth.discovery')).to.equal(true);
    expect(otelTexts.some((t) => t.where === 'otel.metric.finauth.token.requests')).to.equal(true);
    // The search below looks for every configured secret, every issued token and every key line.
    expect(canaries()).to.include.members([sb.gateway.clientSecret, sb.ofp.clients.basic.clientSecret, ...tokens, ...pemFileLines(sb.pki.signing.ps256.key)]);
  });

  it('no canary appears anywhere', () => {
    const leaks: string[] = [];
    for (const canary of canaries()) {
      for (const { where, text } of texts) {
        if (text.includes(canary)) leaks.push(`${where} contains ${canary.slice(0, 6)}… (${canary.length} chars)`);
      }
    }
    expect(leaks, leaks.slice(0, 20).join('\n')).to.deep.equal([]);
  });
});
