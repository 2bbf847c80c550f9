import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { TokenEndpointError } from '@finauth/core';
import { RecordingTelemetry } from '@finauth-test/support';
import { ServerClock } from '../src/index.js';
import { buildProvider, defaultKey } from './helpers/build.js';
import { FakeTransport, json, standardServer } from './helpers/FakeTransport.js';
import { transportCertificate } from './helpers/material.js';
import { ManualClock } from './helpers/ManualClock.js';

const TEN_MINUTES = 600_000;

/** A server whose clock is `offsetMs` ahead of ours, rejecting assertions dated more than 30 s from it. */
function skewedServer(clock: ManualClock, offsetMs: number): FakeTransport {
  return new FakeTransport((r) => {
    const serverNow = clock.now() + offsetMs;
    const date = new Date(serverNow).toUTCString();
    if (r.method !== 'POST') return standardServer(r);
    const iat = Number(decodeJwt(new URLSearchParams(r.body ?? '').get('client_assertion') ?? '').iat);
    if (Math.abs(iat * 1000 - serverNow) > 30_000) return json(400, { error: 'invalid_client', error_description: 'assertion is not valid yet or expired' }, { date, 'x-fapi-interaction-id': r.headers['x-fapi-interaction-id']! });
    const ok = standardServer(r);
    return ok instanceof Error ? ok : { ...ok, headers: { ...ok.headers, date } };
  });
}

describe('clock skew (RFC 7523 §3)', () => {
  // The tests' clocks start at Date.now(): the transport certificate (notBefore = when openssl made
  // it) must exist before that, or a slow openssl run makes it "not valid yet" by the test clock.
  before(() => void transportCertificate());

  it('after a rejected assertion with the server Date > 5 s away, retries once with an assertion dated by the server clock', async () => {
    const clock = new ManualClock(Date.now());
    const telemetry = new RecordingTelemetry();
    const transport = skewedServer(clock, TEN_MINUTES);
    const { auth } = buildProvider({ transport, clock, telemetry });
    try {
      const token = await auth.getToken('ofp');
      expect(token.accessToken).to.match(/^at-/);
      const iats = transport.tokenBodies().map((b) => Number(decodeJwt(b.get('client_assertion')!).iat));
      expect(iats).to.have.length(2);
      expect(iats[1]! - iats[0]!).to.be.within(595, 605);
      const events = telemetry.named('fapi2.clock_offset');
      expect(events).to.have.length(1);
      expect(Number(events[0]!.attributes?.['offsetMs'])).to.be.within(TEN_MINUTES - 2000, TEN_MINUTES + 2000);
    } finally {
      await auth.close();
    }
  });

  it('keeps dating assertions by the server clock on later requests', async () => {
    const clock = new ManualClock(Date.now());
    const transport = skewedServer(clock, -TEN_MINUTES);
    const { auth } = buildProvider({ transport, clock });
    try {
      await auth.getToken('ofp');
      await auth.getToken('ofp', { forceRefresh: true });
      // first rejected, second accepted, third accepted at once
      expect(transport.tokenBodies()).to.have.length(3);
    } finally {
      await auth.close();
    }
  });

  // The audience is pinned below: with `auto` an invalid_client also tries the other audience variants (strictServer.adaptation.test.ts).
  const pinnedAudience = { method: 'private_key_jwt', signingKey: defaultKey().privatePem, kid: 'k1', audience: 'issuer' };

  it('does not retry a rejection when the clocks agree (the error is something else)', async () => {
    const clock = new ManualClock(Date.now());
    const telemetry = new RecordingTelemetry();
    const transport = new FakeTransport((r) => (r.method === 'POST' ? json(401, { error: 'invalid_client' }, { date: new Date(clock.now() + 2000).toUTCString() }) : standardServer(r)));
    const { auth } = buildProvider({ transport, clock, telemetry, clientAuth: pinnedAudience });
    try {
      const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect(transport.tokenBodies()).to.have.length(1);
      expect(telemetry.named('fapi2.clock_offset')).to.have.length(0);
    } finally {
      await auth.close();
    }
  });

  it('retries only once even if the server keeps rejecting', async () => {
    const clock = new ManualClock(Date.now());
    const transport = new FakeTransport((r) => (r.method === 'POST' ? json(400, { error: 'invalid_client' }, { date: new Date(clock.now() + TEN_MINUTES).toUTCString() }) : standardServer(r)));
    const { auth } = buildProvider({ transport, clock, clientAuth: pinnedAudience });
    try {
      const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
      expect(TokenEndpointError.is(error)).to.equal(true);
      expect(transport.tokenBodies()).to.have.length(2);
    } finally {
      await auth.close();
    }
  });

  it('tls_client_auth has no dated assertion: no skew retry', async () => {
    const clock = new ManualClock(Date.now());
    const transport = new FakeTransport((r) => (r.method === 'POST' ? json(400, { error: 'invalid_client' }, { date: new Date(clock.now() + TEN_MINUTES).toUTCString() }) : standardServer(r)));
    const { auth } = buildProvider({ transport, clock, clientAuth: { method: 'tls_client_auth' } });
    try {
      await auth.getToken('ofp').catch(() => undefined);
      expect(transport.tokenBodies()).to.have.length(1);
    } finally {
      await auth.close();
    }
  });

  it('ServerClock drops the correction once the server agrees with the local clock again', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const server = new ServerClock(clock);
    server.observe(new Date(clock.now() + TEN_MINUTES).toUTCString(), clock.now());
    expect(server.adopt()).to.be.within(TEN_MINUTES - 1000, TEN_MINUTES + 1000);
    expect(server.now() - clock.now()).to.be.within(TEN_MINUTES - 1000, TEN_MINUTES + 1000);
    server.observe(new Date(clock.now()).toUTCString(), clock.now());
    server.settle();
    expect(server.offsetMs).to.equal(0);
  });
});
