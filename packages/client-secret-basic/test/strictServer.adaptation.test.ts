import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinauth, type Finauth } from '@finauth/core';
import { generatePki, startStrictServer, type EmulatedServer } from '@finauth/sandbox';
import { expect } from 'chai';
import { basicCredentials, clientSecretBasic } from '../src/index.js';
import { RecordingLogger } from '@finauth-test/support';

/**
 * Issue 20's strict server compares Basic credentials raw and answers a bare 403: with the default
 * `credentialEncoding: "auto"`, the RFC 6749 form goes first, raw second, and raw is remembered.
 */
describe('client_secret_basic encoding adaptation against the strict server', () => {
  let dir: string;
  let server: EmulatedServer;
  let auth: Finauth | undefined;
  const secret = 'se+cr/et:%41 x=';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basic-strict-'));
    const pki = await generatePki(dir);
    const read = (path: string): string => readFileSync(path, 'utf8');
    server = await startStrictServer({ tls: { key: read(pki.serverKey), cert: read(pki.serverCert), ca: read(pki.caCert) }, clientId: 'strict-basic', publicKey: createPublicKey(createPrivateKey(read(pki.signing.es256.key))), alg: 'ES256', clientSecret: secret });
  });
  after(async () => {
    await auth?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('form-urlencoded refused (bare 403), raw accepted; the second fetch sends raw only', async () => {
    const logger = new RecordingLogger();
    auth = createFinauth({ strategies: [clientSecretBasic()], logger, providers: [{ id: 's', strategy: 'client_secret_basic', tokenEndpoint: server.tokenEndpoint, clientId: 'strict-basic', clientSecret: secret, tls: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8') } }] });
    await auth.getToken('s');
    await auth.getToken('s', { forceRefresh: true });
    expect(server.stats).to.deep.include({ tokenRequests: 3, rejected: 1 });
    expect(server.log.filter((l) => l.method === 'POST').map((l) => l.headers['authorization'])).to.deep.equal([
      `Basic ${basicCredentials('strict-basic', secret)}`,
      `Basic ${basicCredentials('strict-basic', secret, 'raw')}`,
      `Basic ${basicCredentials('strict-basic', secret, 'raw')}`,
    ]);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).to.have.length(1);
    expect(logger.text()).not.to.contain(secret);
  });
});
