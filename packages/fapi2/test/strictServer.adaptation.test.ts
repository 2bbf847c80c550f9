import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinauth, TokenEndpointError, type Finauth } from '@finauth/core';
import { generatePki, startStrictServer, type EmulatedServer, type Pki } from '@finauth/sandbox';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { RecordingLogger, RecordingTelemetry } from '@finauth-test/support';
import { fapi2 } from '../src/index.js';

/**
 * Issue 20's strict server: a bare 403 for every authentication failure, and `aud` accepted only
 * when it is exactly its non-alias `/token` URL, also on its mTLS alias. With the default
 * `audience: "auto"`, fapi2 sends the issuer (FAPI 2.0), then the alias URL it posts to, then the
 * non-alias token endpoint, which works and is remembered.
 */
describe('fapi2 audience adaptation against the strict server (mTLS alias)', () => {
  let dir: string;
  let pki: Pki;
  let server: EmulatedServer;
  let auth: Finauth | undefined;
  const read = (path: string): string => readFileSync(path, 'utf8');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fapi2-strict-'));
    pki = await generatePki(dir);
    server = await startStrictServer({
      tls: { key: read(pki.serverKey), cert: read(pki.serverCert), ca: read(pki.caCert) },
      clientId: 'strict-fapi-client',
      publicKey: createPublicKey(createPrivateKey(read(pki.signing.ps256.key))),
      alg: 'PS256',
      clientSecret: 'unused',
    });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await auth?.close();
    auth = undefined;
  });

  function connect(clientAuth: Record<string, unknown> = {}): { auth: Finauth; telemetry: RecordingTelemetry; logger: RecordingLogger } {
    const telemetry = new RecordingTelemetry();
    const logger = new RecordingLogger();
    auth = createFinauth({
      strategies: [fapi2()],
      telemetry,
      logger,
      providers: [
        {
          id: 'strict',
          strategy: 'fapi2',
          issuer: server.issuer,
          clientId: 'strict-fapi-client',
          clientAuth: { method: 'private_key_jwt', signingKey: `file:${pki.signing.ps256.key}`, ...clientAuth },
          tls: { cert: `file:${pki.clients.transport.cert}`, key: `file:${pki.clients.transport.key}`, ca: `file:${pki.caCert}` },
          retry: { maxRetries: 0 },
        },
      ],
    });
    return { auth, telemetry, logger };
  }
  const audiences = (n: number) => server.log.filter((l) => l.method === 'POST').slice(-n).map((l) => decodeJwt(new URLSearchParams(l.body).get('client_assertion')!).aud);

  it('issuer and the alias URL refused, the non-alias token endpoint accepted; the second fetch makes no rejected attempt', async () => {
    const { auth, telemetry, logger } = connect();
    const before = { ...server.stats };
    await auth.getToken('strict');
    expect(server.stats.rejected - before.rejected).to.equal(2);
    expect(audiences(3)).to.deep.equal([server.issuer, server.mtlsTokenEndpoint, server.tokenEndpoint]);
    // Every attempt went to the alias (RFC 8705 §5): only aud changed.
    expect(server.log.filter((l) => l.method === 'POST').slice(-3).map((l) => l.listener)).to.deep.equal(['alias', 'alias', 'alias']);
    const adapted = telemetry.named('auth.adapted');
    expect(adapted.map((e) => [e.attributes?.['setting'], e.attributes?.['from'], e.attributes?.['to']])).to.deep.equal([['clientAuth.audience', 'issuer', 'non_alias_token_endpoint']]);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.message).to.contain(`"clientAuth": { "audience": "${server.tokenEndpoint}" }`);
    await auth.getToken('strict', { forceRefresh: true });
    expect(server.stats.rejected - before.rejected).to.equal(2);
    expect(audiences(1)).to.deep.equal([server.tokenEndpoint]);
  });

  it('audience "issuer" pinned: one attempt, the bare 403 as a typed, non-retryable error', async () => {
    const { auth } = connect({ audience: 'issuer' });
    const before = server.stats.tokenRequests;
    let caught: unknown;
    await auth.getToken('strict').catch((e: unknown) => (caught = e));
    expect(TokenEndpointError.is(caught), String(caught)).to.equal(true);
    expect([(caught as TokenEndpointError).status, (caught as TokenEndpointError).retryable]).to.deep.equal([403, false]);
    expect(server.stats.tokenRequests - before).to.equal(1);
  });
});
