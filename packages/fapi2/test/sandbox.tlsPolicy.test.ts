import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { expect } from 'chai';
import { createFinauth, TransportError, type Finauth } from '@finauth/core';
import { fapiProvider, sandboxSuite } from '@finauth-test/support';
import { fapi2, FAPI2_TLS12_CIPHERS } from '../src/index.js';

/**
 * A stand-in authorization server with a chosen TLS version and cipher list, using the sandbox's
 * PKI (so only the protocol parameters differ), to see which connections a fapi2 provider refuses.
 * @see FAPI 2.0 Security Profile §5.2.1, RFC 9325 (BCP 195)
 */
describe('fapi2 TLS policy (TLS 1.2+, ECDHE with AES-GCM on TLS 1.2)', function () {
  const suite = sandboxSuite({ mtlsAlias: 'none' });
  const servers: Server[] = [];
  let auth: Finauth | undefined;

  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    })));
  });

  async function server(options: { minVersion: SecureVersion; maxVersion: SecureVersion; ciphers?: string }): Promise<string> {
    const s = createServer(
      { cert: readFileSync(suite.sandbox.pki.serverCert), key: readFileSync(suite.sandbox.pki.serverKey), ...options, ...(options.minVersion === 'TLSv1.1' ? { ciphers: `${options.ciphers ?? 'DEFAULT'}:@SECLEVEL=0` } : {}) },
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"errors":["nothing here"]}');
      },
    );
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  async function attempt(issuer: string): Promise<unknown> {
    auth = createFinauth({ strategies: [fapi2()], providers: [fapiProvider(suite.sandbox, 'ps256', { issuer, retry: { maxRetries: 0 } })] });
    return auth.getToken('ps256').then(() => undefined, (e: unknown) => e);
  }

  it('uses only ECDHE + AES-GCM suites for TLS 1.2', () => {
    for (const suite of FAPI2_TLS12_CIPHERS.split(':')) expect(suite).to.match(/^ECDHE-(RSA|ECDSA)-AES(128|256)-GCM-SHA(256|384)$/);
  });

  it('connects to a TLS 1.2 server offering an ECDHE-AES-GCM suite (the 404 proves the handshake worked)', async () => {
    const issuer = await server({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256' });
    const error = await attempt(issuer);
    expect((error as Error).name, String(error)).to.equal('DiscoveryError');
  });

  it('refuses a TLS 1.2 server offering only CBC suites', async () => {
    const issuer = await server({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA' });
    const error = await attempt(issuer);
    expect(TransportError.is(error), String(error)).to.equal(true);
    expect((error as TransportError).reason).to.equal('tls');
  });

  it('refuses a TLS 1.1 server', async () => {
    const issuer = await server({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' });
    const error = await attempt(issuer);
    expect(TransportError.is(error), String(error)).to.equal(true);
    expect((error as TransportError).reason).to.equal('tls');
  });

  it('connects to a TLS 1.3 server (its suites are all strong)', async () => {
    const issuer = await server({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    const error = await attempt(issuer);
    expect((error as Error).name, String(error)).to.equal('DiscoveryError');
  });
});
