import { expect } from 'chai';
import { ConfigError, TokenEndpointError } from '@finauth/core';
import { RecordingLogger, RecordingTelemetry } from '@finauth-test/support';
import { FAPI_AUTH_DATE_PATTERN, formatAuthDate } from '../src/index.js';
import { buildProvider } from './helpers/build.js';
import { FakeTransport, json, standardServer } from './helpers/FakeTransport.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('FAPI headers (the OFP token endpoint OpenAPI description)', () => {
  describe('x-fapi-auth-date', () => {
    it('formats a Date in the GMT form that matches the OFP token endpoint OpenAPI description\'s pattern', () => {
      const r = formatAuthDate(new Date(Date.UTC(2017, 8, 10, 19, 43, 31)));
      expect(r).to.deep.equal({ value: 'Sun, 10 Sep 2017 19:43:31 GMT' });
      expect(FAPI_AUTH_DATE_PATTERN.test('Sun, 10 Sep 2017 19:43:31 GMT')).to.equal(true);
    });

    it('accepts the OFP token endpoint OpenAPI description\'s own UTC example and sends it as GMT', () => {
      expect(formatAuthDate('Sun, 10 Sep 2017 19:43:31 UTC')).to.deep.equal({ value: 'Sun, 10 Sep 2017 19:43:31 GMT' });
    });

    it('rejects strings that miss the pattern or name no real date', () => {
      for (const bad of ['2017-09-10T19:43:31Z', 'Sun, 10 Sep 2017 19:43:31 +0000', 'Sunday, 10 Sep 2017 19:43:31 GMT', 'Mon, 10 Sep 2017 19:43:31 GMT', 'Sun, 31 Sep 2017 19:43:31 GMT']) {
        expect('error' in formatAuthDate(bad), bad).to.equal(true);
      }
      expect('error' in formatAuthDate(new Date(Number.NaN))).to.equal(true);
    });
  });

  it('sends a fresh RFC 4122 v4 x-fapi-interaction-id on every token request', async () => {
    const { auth, transport } = buildProvider();
    try {
      await auth.getToken('ofp');
      await auth.getToken('ofp', { forceRefresh: true });
      const ids = transport.requests.filter((r) => r.method === 'POST').map((r) => r.headers['x-fapi-interaction-id']);
      expect(ids).to.have.length(2);
      for (const id of ids) expect(id).to.match(UUID_V4);
      expect(ids[0]).to.not.equal(ids[1]);
    } finally {
      await auth.close();
    }
  });

  it('sends provider-level headers, and per-call values override them', async () => {
    const { auth, transport } = buildProvider({ provider: { fapiHeaders: { authDate: 'Sun, 10 Sep 2017 19:43:31 UTC', customerIpAddress: '203.0.113.7', customerUserAgent: 'BankApp/1.0' } } });
    try {
      await auth.getToken('ofp');
      const first = transport.requests.at(-1)!.headers;
      expect(first['x-fapi-auth-date']).to.equal('Sun, 10 Sep 2017 19:43:31 GMT');
      expect(first['x-fapi-customer-ip-address']).to.equal('203.0.113.7');
      expect(first['x-customer-user-agent']).to.equal('BankApp/1.0');
      await auth.getToken('ofp', { forceRefresh: true, strategyOptions: { fapiCustomerIpAddress: '2001:db8::1', fapiAuthDate: new Date(Date.UTC(2024, 1, 29, 8, 0, 0)) } });
      const second = transport.requests.at(-1)!.headers;
      expect(second['x-fapi-customer-ip-address']).to.equal('2001:db8::1');
      expect(second['x-fapi-auth-date']).to.equal('Thu, 29 Feb 2024 08:00:00 GMT');
      expect(second['x-customer-user-agent']).to.equal('BankApp/1.0');
    } finally {
      await auth.close();
    }
  });

  it('sends no optional header when none is configured', async () => {
    const { auth, transport } = buildProvider();
    try {
      await auth.getToken('ofp');
      const headers = transport.requests.at(-1)!.headers;
      expect(Object.keys(headers).filter((h) => h !== 'x-fapi-interaction-id' && /fapi|customer/.test(h))).to.deep.equal([]);
    } finally {
      await auth.close();
    }
  });

  it('rejects an invalid provider-level value at creation, by path', () => {
    try {
      buildProvider({ provider: { fapiHeaders: { authDate: '2017-09-10', customerIpAddress: '10.0.0.300', customerUserAgent: 'x\r\nInjected: 1' } } });
      expect.fail('accepted');
    } catch (e) {
      expect(ConfigError.is(e)).to.equal(true);
      const paths = (e as ConfigError).issues.map((i) => i.path);
      expect(paths).to.include.members(['providers[0].fapiHeaders.authDate', 'providers[0].fapiHeaders.customerIpAddress', 'providers[0].fapiHeaders.customerUserAgent']);
    }
  });

  it('rejects an invalid or unknown per-call option without sending anything', async () => {
    const { auth, transport } = buildProvider();
    try {
      const bad = await auth.getToken('ofp', { strategyOptions: { fapiCustomerIpAddress: 'localhost' } }).then(() => undefined, (e: unknown) => e);
      expect(ConfigError.is(bad)).to.equal(true);
      expect((bad as ConfigError).issues[0]!.path).to.equal('strategyOptions.fapiCustomerIpAddress');
      const unknown = await auth.getToken('ofp', { strategyOptions: { customerIp: '10.0.0.1' } }).then(() => undefined, (e: unknown) => e);
      expect((unknown as ConfigError).issues[0]!.path).to.equal('strategyOptions.customerIp');
      expect(transport.requests.filter((r) => r.method === 'POST')).to.have.length(0);
    } finally {
      await auth.close();
    }
  });

  describe('echoed x-fapi-interaction-id', () => {
    it('compares case-insensitively: an upper-case echo is no mismatch', async () => {
      const telemetry = new RecordingTelemetry();
      const transport = new FakeTransport((r) => {
        const answer = standardServer(r);
        if (answer instanceof Error || r.method !== 'POST') return answer;
        return { ...answer, headers: { ...answer.headers, 'x-fapi-interaction-id': r.headers['x-fapi-interaction-id']!.toUpperCase() } };
      });
      const { auth } = buildProvider({ transport, telemetry });
      try {
        await auth.getToken('ofp');
        expect(telemetry.named('fapi2.interaction_id_mismatch')).to.have.length(0);
      } finally {
        await auth.close();
      }
    });

    it('reports a different echo through telemetry and the logger', async () => {
      const telemetry = new RecordingTelemetry();
      const logger = new RecordingLogger();
      const transport = new FakeTransport((r) => {
        const answer = standardServer(r);
        if (answer instanceof Error || r.method !== 'POST') return answer;
        return { ...answer, headers: { ...answer.headers, 'x-fapi-interaction-id': '00000000-0000-4000-8000-000000000000' } };
      });
      const { auth } = buildProvider({ transport, telemetry, logger });
      try {
        await auth.getToken('ofp');
        const events = telemetry.named('fapi2.interaction_id_mismatch');
        expect(events).to.have.length(1);
        expect(events[0]!.providerId).to.equal('ofp');
        expect(events[0]!.attributes?.['received']).to.equal('00000000-0000-4000-8000-000000000000');
        expect(events[0]!.attributes?.['sent']).to.equal(transport.requests.at(-1)!.headers['x-fapi-interaction-id']);
        expect(logger.lines.some((l) => l.level === 'warn' && /interaction-id/.test(l.message))).to.equal(true);
      } finally {
        await auth.close();
      }
    });

    it('puts the sent id on the TokenEndpointError when the server did not echo one', async () => {
      const transport = new FakeTransport((r) => (r.method === 'POST' ? json(400, { error: 'invalid_request' }) : standardServer(r)));
      const { auth } = buildProvider({ transport });
      try {
        const error = await auth.getToken('ofp').then(() => undefined, (e: unknown) => e);
        expect(TokenEndpointError.is(error)).to.equal(true);
        expect((error as TokenEndpointError).interactionId).to.equal(transport.requests.at(-1)!.headers['x-fapi-interaction-id']);
        expect((error as TokenEndpointError).error).to.equal('invalid_request');
      } finally {
        await auth.close();
      }
    });
  });
});
