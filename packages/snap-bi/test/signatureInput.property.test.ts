import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { silentLogger, noopTelemetry, type TokenCallContext, type TokenRequest } from '@finauth/core';
import { expect } from 'chai';
import fc from 'fast-check';
import { localRsaSigner } from '../src/SnapSigner.js';
import { SnapBiStrategy } from '../src/SnapBiStrategy.js';
import { parseSnapTimestamp } from '../src/snapTimestamp.js';

/** The repository's fixed seed (scripts/fast-check-seed.mjs, FINAUTH_SEED to replay), printed here too. */
const seed = (): unknown => fc.readConfigureGlobal().seed;

describe('SNAP BI signature input (property, fast-check)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));

  before(() => {
    console.log(`      fast-check seed ${String(seed())} (replay: FINAUTH_SEED=${String(seed())} npm test)`);
  });

  const clientKey = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:|~'.split('')) });
  const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
  const precision = fc.constantFrom('seconds' as const, 'milliseconds' as const);

  it('X-SIGNATURE verifies over exactly X-CLIENT-KEY + "|" + X-TIMESTAMP, and X-TIMESTAMP is the clock time in the offset', async () => {
    await fc.assert(
      fc.asyncProperty(clientKey, offset, instant, precision, async (key, off, now, prec) => {
        const strategy = new SnapBiStrategy({
          tokenEndpoint: 'https://bank.example/snap/v1.0/access-token/b2b',
          clientKey: key,
          sign: localRsaSigner(privateKey),
          signerLabel: 'private_key',
          timestampOffset: off,
          timestampPrecision: prec,
          headers: {},
          secrets: [],
        });
        const request: TokenRequest = { url: '', headers: {}, body: new URLSearchParams({ grant_type: 'client_credentials' }) };
        const context: TokenCallContext = {
          providerId: 'snap', clock: { now: () => now, sleep: () => Promise.resolve() }, logger: silentLogger, telemetry: noopTelemetry,
          transport: undefined as never, attempt: 0, signal: new AbortController().signal, options: {}, fetch: {},
        };
        await strategy.prepareTokenRequest(request, context);
        const timestamp = request.headers['x-timestamp']!;
        expect(request.headers['x-client-key']).to.equal(key);
        expect(timestamp.endsWith(off)).to.equal(true);
        expect(parseSnapTimestamp(timestamp)).to.equal(prec === 'seconds' ? now - (now % 1000) : now);
        const signature = Buffer.from(request.headers['x-signature']!, 'base64');
        expect(verify('sha256', Buffer.from(`${key}|${timestamp}`, 'utf8'), pub, signature)).to.equal(true);
        // Any other input (a different key or instant) does not verify: the signature binds both.
        expect(verify('sha256', Buffer.from(`${key}|${timestamp} `, 'utf8'), pub, signature)).to.equal(false);
        expect(verify('sha256', Buffer.from(`${key}x|${timestamp}`, 'utf8'), pub, signature)).to.equal(false);
        expect(request.payload).to.deep.equal({ contentType: 'application/json', text: '{"grantType":"client_credentials"}' });
        expect(request.credentials).to.deep.equal([request.headers['x-signature']]);
      }),
      { numRuns: 200 },
    );
  });
});
