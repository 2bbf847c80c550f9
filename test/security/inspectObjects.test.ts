import { inspect } from 'node:util';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { createFinauth, type Finauth } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { snapBi } from '@finauth/snap-bi';
import { gatewayProvider, sandboxSuite, snapProvider } from '@finauth-test/support';
import { expect } from 'chai';
import { fapiKeyJwt, fapiTlsAuth } from '../support/providers.js';
import { pemFileLines } from '../support/pemLines.js';

/**
 * What a user logs by habit: `console.log(auth)`, `console.log(auth.http('bnp'))`, a provider's
 * info or health, `JSON.stringify` of them. None may show a client secret, a private key (signing
 * or TLS) or a token, however deep util.inspect goes.
 */
describe('logging finauth objects (util.inspect, JSON.stringify) shows no secret', function () {
  this.timeout(60_000);
  const suite = sandboxSuite();
  let auth: Finauth;
  const secrets: string[] = [];

  before(async () => {
    const sb = suite.sandbox;
    auth = createFinauth({
      strategies: [fapi2(), clientSecretBasic(), snapBi()],
      providers: [fapiKeyJwt(sb), fapiTlsAuth(sb), gatewayProvider(sb), snapProvider(sb)],
    });
    for (const id of auth.providerIds) secrets.push((await auth.getToken(id)).accessToken);
    secrets.push(sb.gateway.clientSecret);
    for (const path of [sb.pki.clients.transport.key, sb.pki.signing.ps256.key, sb.snap.keys.privateKey]) secrets.push(...pemFileLines(path));
  });

  after(async () => {
    await auth?.close();
  });

  const views = (): Array<{ what: string; text: () => string }> => [
    { what: 'inspect(auth) at depth Infinity', text: () => inspect(auth, { depth: Infinity }) },
    { what: 'inspect(auth)', text: () => inspect(auth) },
    { what: 'String(auth)', text: () => String(auth) },
    { what: 'JSON.stringify(auth)', text: () => JSON.stringify(auth) },
    ...auth.providerIds.flatMap((id) => [
      { what: `inspect(auth.http('${id}')) at depth Infinity`, text: () => inspect(auth.http(id), { depth: Infinity }) },
      { what: `inspect(auth.provider('${id}'))`, text: () => inspect(auth.provider(id), { depth: Infinity }) },
    ]),
    { what: 'inspect(auth.health())', text: () => inspect(auth.health(), { depth: Infinity }) },
    { what: 'JSON.stringify(auth.health())', text: () => JSON.stringify(auth.health()) },
  ];

  it('holds real material to look for (the control)', () => {
    expect(secrets.length).to.be.greaterThan(20);
    expect(inspect(suite.sandbox.gateway, { depth: 4 })).to.include(suite.sandbox.gateway.clientSecret);
  });

  it('no view of the instance, its http() clients, provider infos or health shows a secret, key or token', () => {
    for (const view of views()) {
      const text = view.text();
      for (const secret of secrets) expect(text.includes(secret), `${view.what} shows ${secret.slice(0, 6)}…`).to.equal(false);
    }
  });

  it('inspect(auth) still says what it is: its providers and whether it is closed', () => {
    const text = inspect(auth);
    expect(text).to.match(/^Finauth \{/);
    for (const id of auth.providerIds) expect(text).to.include(id);
    expect(JSON.parse(JSON.stringify(auth))).to.deep.equal({ providers: [...auth.providerIds], closed: false });
  });
});
