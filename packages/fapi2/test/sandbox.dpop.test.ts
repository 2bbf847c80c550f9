import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, EmbeddedJWK } from 'jose';
import { ConfigError, createFinauth, type Finauth } from '@finauth/core';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { fapi2 } from '../src/index.js';
import { sandboxProvider } from './helpers/sandboxConfig.js';

/** FAPI 2.0 with DPoP-bound tokens (RFC 9449; FAPI 2.0 SP §5.3.2.2) against the sandbox OFP (oidc-provider). */
describe('fapi2 with DPoP against the sandbox OFP', function () {
  let sandbox: Sandbox;
  const open: Finauth[] = [];
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => sandbox.ofp.log.clear());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
  });
  const finauth = (provider: Record<string, unknown>): Finauth => {
    const auth = createFinauth({ strategies: [fapi2()], providers: [provider] });
    open.push(auth);
    return auth;
  };
  /** The OFP client registered for DPoP-bound tokens (a client may not bind by mTLS and DPoP at once). */
  const dpopClient = (): Record<string, unknown> => ({ ...sandboxProvider(sandbox, 'ps256'), clientId: sandbox.ofp.clients.dpop.clientId });
  const proofs = (): string[] => sandbox.ofp.log.filter((l) => l.method === 'POST' && l.path === '/token').map((l) => String(l.headers['dpop']));

  it('sends a proof on every token request and gets a DPoP token bound to its key (cnf.jkt)', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const token = await auth.getToken(auth.providerIds[0]!);
    expect(token.tokenType).to.equal('DPoP');
    const [proof] = proofs();
    const { payload, protectedHeader } = await jwtVerify(proof!, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(protectedHeader.alg).to.equal('ES256');
    expect(protectedHeader.jwk).to.not.have.property('d');
    expect(payload).to.include({ htm: 'POST' });
    expect(String(payload['htu'])).to.match(/\/token$/);
    const introspected = await sandbox.ofp.introspect(token.accessToken);
    expect(introspected['active']).to.equal(true);
    expect((introspected['cnf'] as Record<string, string>)['jkt']).to.equal(await calculateJwkThumbprint(protectedHeader.jwk!));
  });

  it('uses one key for the provider life and a fresh jti per proof', async () => {
    const auth = finauth({ ...dpopClient(), dpop: true });
    const id = auth.providerIds[0]!;
    await auth.getToken(id);
    await auth.getToken(id, { forceRefresh: true });
    const sent = proofs();
    expect(sent).to.have.length(2);
    const [a, b] = await Promise.all(sent.map((p) => jwtVerify(p, EmbeddedJWK)));
    expect(a!.payload['jti']).to.not.equal(b!.payload['jti']);
    expect(await calculateJwkThumbprint(a!.protectedHeader.jwk!)).to.equal(await calculateJwkThumbprint(b!.protectedHeader.jwk!));
  });

  it('signs proofs with a configured key (dpop.key)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const auth = finauth({ ...dpopClient(), dpop: { alg: 'ES256', key: pem } });
    await auth.getToken(auth.providerIds[0]!);
    const [proof] = proofs();
    const jwk = decodeProtectedHeader(proof!).jwk!;
    const expected = privateKey.export({ format: 'jwk' }) as Record<string, string>;
    expect(jwk['x']).to.equal(expected['x']);
  });

  it('reports a bad dpop setting at creation, by path, without the key', () => {
    const make = (dpop: unknown): unknown => {
      try {
        createFinauth({ strategies: [fapi2()], providers: [{ ...dpopClient(), dpop }] });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const rsa = readFileSync(sandbox.pki.signing.ps256.key, 'utf8');
    const wrongKey = make({ alg: 'ES256', key: rsa }) as ConfigError;
    expect(ConfigError.is(wrongKey)).to.equal(true);
    expect(wrongKey.issues.map((i) => i.path)).to.deep.equal(['providers[0].dpop.key']);
    expect(wrongKey.message).to.not.include(rsa.split('\n')[1]!);
    const badAlg = make({ alg: 'HS256' }) as ConfigError;
    expect(badAlg.issues.map((i) => i.path)).to.include('providers[0].dpop.alg');
    const notObject = make('yes') as ConfigError;
    expect(notObject.issues.map((i) => i.path)).to.include('providers[0].dpop');
  });
});
