import { expect } from 'chai';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/index.js';
import { assertionForm, signAssertion } from './support/assertion.js';
import { call, rejectionOf } from './support/httpsCall.js';
import { basicHeader, tlsFor } from './support/material.js';

describe('startSandbox options', () => {
  const withSandbox = (options: SandboxOptions, body: (sb: Sandbox) => Promise<void>) => async () => {
    const sb = await startSandbox(options);
    try {
      await body(sb);
    } finally {
      await sb.stop();
    }
  };
  const ps256Token = async (sb: Sandbox, endpoint: string, audience: string = sb.ofp.issuer, headers: Record<string, string> = {}) => {
    const assertion = await signAssertion(sb.pki.signing.ps256, { clientId: sb.ofp.clients.ps256.clientId, audience });
    return call(endpoint, { form: assertionForm(assertion), headers, tls: tlsFor(sb, 'transport') });
  };

  it('tokenLifetimeSeconds applies to both servers (the gateway as a string)', withSandbox({ tokenLifetimeSeconds: 120 }, async (sb) => {
    const ofp = await ps256Token(sb, sb.ofp.tokenEndpoint);
    const gateway = await call(sb.gateway.tokenEndpoint, {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicHeader(sb.gateway.clientId, sb.gateway.clientSecret) },
      tls: tlsFor(sb),
    });
    expect(ofp.json()['expires_in']).to.equal(120);
    expect(gateway.json()['expires_in']).to.equal('120');
  }));

  it('rejects a non-positive tokenLifetimeSeconds', async () => {
    const err = await rejectionOf(startSandbox({ tokenLifetimeSeconds: 0 }));
    expect(err).to.be.instanceOf(RangeError);
  });

  it("mtlsAlias 'same-host' puts the alias on the main listener under another path", withSandbox({ mtlsAlias: 'same-host' }, async (sb) => {
    const doc = (await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') })).json();
    const alias = (doc['mtls_endpoint_aliases'] as Record<string, string>)['token_endpoint'];
    expect(alias).to.equal(sb.ofp.mtlsTokenEndpoint);
    expect(alias).to.equal(`${sb.ofp.issuer}/mtls/token`);
    const res = await ps256Token(sb, alias ?? '');
    expect(res.status, res.body).to.equal(200);
    expect(sb.ofp.stats.tokenRequests).to.include({ alias: 1, main: 0 });
    const noCert = await call(alias ?? '', { form: { grant_type: 'client_credentials' }, tls: tlsFor(sb) });
    expect(noCert.status).to.equal(401);
  }));

  it("mtlsAlias 'none' advertises no aliases", withSandbox({ mtlsAlias: 'none' }, async (sb) => {
    const doc = (await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') })).json();
    expect(doc).to.not.have.property('mtls_endpoint_aliases');
    expect(sb.ofp.mtlsTokenEndpoint).to.equal(undefined);
    expect('mtlsTokenEndpoint' in sb.ofp).to.equal(false);
  }));

  it('strict requires a client certificate on the main listener', withSandbox({ strict: true }, async (sb) => {
    const err = await rejectionOf(call(sb.ofp.discoveryUrl, { tls: tlsFor(sb) }));
    expect(err.message).to.match(/certificate required|ECONNRESET|socket hang up|alert/i);
    expect((await call(sb.ofp.discoveryUrl, { tls: tlsFor(sb, 'transport') })).status).to.equal(200);
  }));

  it('strict rejects token requests without x-fapi-interaction-id', withSandbox({ strict: true }, async (sb) => {
    const without = await ps256Token(sb, sb.ofp.tokenEndpoint);
    const withId = await ps256Token(sb, sb.ofp.tokenEndpoint, sb.ofp.issuer, { 'x-fapi-interaction-id': '550e8400-e29b-41d4-a716-446655440000' });
    expect(without.status).to.equal(400);
    expect(without.json()['error']).to.equal('invalid_request');
    expect(withId.status, withId.body).to.equal(200);
  }));

  it("gatewayErrorStyle 'fault' selects the Apigee fault body", withSandbox({ gatewayErrorStyle: 'fault' }, async (sb) => {
    const res = await call(sb.gateway.tokenEndpoint, {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: basicHeader(sb.gateway.clientId, 'wrong') },
      tls: tlsFor(sb),
    });
    expect(res.status).to.equal(401);
    expect(res.json()).to.have.nested.property('fault.detail.errorcode', 'oauth.v2.InvalidClientIdentifier');
  }));

  it("assertionAudience 'lenient' also accepts the token endpoint URL", withSandbox({ assertionAudience: 'lenient' }, async (sb) => {
    const tokenEndpointAud = await ps256Token(sb, sb.ofp.tokenEndpoint, sb.ofp.tokenEndpoint);
    expect(tokenEndpointAud.status, tokenEndpointAud.body).to.equal(200);
    const foreignAud = await ps256Token(sb, sb.ofp.tokenEndpoint, 'https://127.0.0.1:1/elsewhere');
    expect(foreignAud.status).to.equal(401);
  }));
});
