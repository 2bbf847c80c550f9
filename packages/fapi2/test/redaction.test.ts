import { createPrivateKey } from 'node:crypto';
import { expect } from 'chai';
import { TokenEndpointError, noopTelemetry, silentLogger, systemClock, type Transport } from '@finauth/core';
import { RecordingLogger } from '@finauth-test/support';
import { Fapi2Config, fapi2Factory } from '../src/index.js';
import { buildProvider, defaultKey } from './helpers/build.js';
import { FakeTransport, ISSUER, json, standardServer } from './helpers/FakeTransport.js';
import { ecKey, transportCertificate } from './helpers/material.js';

describe('secrets stay out of errors and logs', () => {
  it('a server echoing the client assertion back gets it masked in the TokenEndpointError', async () => {
    const logger = new RecordingLogger();
    const transport = new FakeTransport((r) => {
      if (r.method !== 'POST') return standardServer(r);
      const assertion = new URLSearchParams(r.body ?? '').get('client_assertion') ?? '';
      return json(400, { error: 'invalid_client', error_description: `bad assertion ${assertion}`, errors: [assertion] });
    });
    const { auth } = buildProvider({ transport, logger });
    try {
      const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
      expect(TokenEndpointError.is(error)).to.equal(true);
      const assertion = transport.tokenBodies()[0]!.get('client_assertion')!;
      for (const text of [String((error as Error).message), JSON.stringify(error), String((error as Error).stack), logger.text()]) {
        expect(text).to.not.contain(assertion);
      }
      expect((error as TokenEndpointError).errorDescription).to.contain('[REDACTED]');
    } finally {
      await auth.close();
    }
  });

  it('a server echoing one line of the signing key or of the transport key gets it masked in the error and the logs', async () => {
    const logger = new RecordingLogger();
    const signingLine = defaultKey().privatePem.split('\n')[3]!;
    const tlsLine = transportCertificate().key.split('\n')[1]!;
    expect(signingLine).to.have.length.greaterThan(16);
    expect(tlsLine).to.have.length.greaterThan(16);
    const transport = new FakeTransport((r) => {
      if (r.method !== 'POST') return standardServer(r);
      return json(400, { error: 'invalid_client', error_description: `unknown key ${signingLine} over ${tlsLine}`, errors: [signingLine, tlsLine] });
    });
    const { auth } = buildProvider({ transport, logger });
    try {
      const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect((error as TokenEndpointError).errorDescription).to.equal('unknown key [REDACTED] over [REDACTED]');
      for (const text of [String((error as Error).message), JSON.stringify(error), String((error as Error).stack), logger.text()]) {
        expect(text).to.not.contain(signingLine);
        expect(text).to.not.contain(tlsLine);
      }
    } finally {
      await auth.close();
    }
  });

  it('the strategy declares the signing key, every JWK private member, and the transport key as secrets', () => {
    const tls = transportCertificate();
    const context = { providerId: 'p', clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, transport: {} as Transport };
    const pemConfig = Object.assign(new Fapi2Config(), {
      id: 'p', strategy: 'fapi2', issuer: ISSUER, clientId: 'c',
      clientAuth: { method: 'private_key_jwt', signingKey: defaultKey().privatePem },
      tls: { cert: tls.cert, key: tls.key, passphrase: 'not-really-used' },
    });
    const pem = fapi2Factory.create(pemConfig as Fapi2Config, context);
    expect(pem.secrets).to.include.members([defaultKey().privatePem, tls.key, 'not-really-used']);

    const jwk = createPrivateKey(ecKey().privatePem).export({ format: 'jwk' }) as Record<string, unknown>;
    const jwkConfig = Object.assign(new Fapi2Config(), { ...pemConfig, clientAuth: { method: 'private_key_jwt', signingKey: jwk, alg: 'ES256' } });
    const fromJwk = fapi2Factory.create(jwkConfig as Fapi2Config, context);
    expect(fromJwk.secrets).to.include(jwk['d']);
    // identity: issuer, token endpoint, client id, method, alg:kid — never key material.
    expect(fromJwk.identity.join(' ')).to.not.contain(String(jwk['d']));
    expect(fromJwk.identity.slice(0, 4)).to.deep.equal([ISSUER, '', 'c', 'private_key_jwt']);
    expect(fromJwk.identity[4]).to.match(/^ES256:/);
  });
});
