import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { startSandbox, startStrictServer, type EmulatedServer, type Sandbox } from '@finauth/sandbox';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { tempFolder } from './support/configFile.js';

/**
 * Issue 20: doctor finds the working variant itself when the configured one is refused and prints
 * the exact config change; for a 403 with an empty body it says what that usually means.
 */
describe('finauth doctor: client authentication that adapts', () => {
  let sb: Sandbox;
  let strict: EmulatedServer;
  let folder: ReturnType<typeof tempFolder>;
  const secret = 'doc+tor/se:cret%41 x';

  before(async () => {
    sb = await startSandbox();
    folder = tempFolder();
    const read = (path: string): string => readFileSync(path, 'utf8');
    strict = await startStrictServer({
      tls: { key: read(sb.pki.serverKey), cert: read(sb.pki.serverCert), ca: read(sb.pki.caCert) },
      clientId: 'doctor-client',
      publicKey: createPublicKey(createPrivateKey(read(sb.pki.signing.es256.key))),
      alg: 'ES256',
      clientSecret: secret,
    });
  });
  after(async () => {
    await strict?.stop();
    folder?.remove();
    await sb?.stop();
  });

  async function liveTokenLines(name: string, provider: Record<string, unknown>): Promise<{ code: number; line: string; hint: string; text: string }> {
    const config = folder.write(name, { providers: [{ id: 'strict', retry: { maxRetries: 0 }, tls: { ca: `file:${sb.pki.caCert}` }, ...provider }] });
    const io = memoryIo();
    const code = await runDoctor(io, { config });
    const index = io.stdout.findIndex((l) => /\[\w+\] live token:/.test(l));
    return { code, line: io.stdout[index]!.trim(), hint: (io.stdout[index + 1] ?? '').trim(), text: io.stdout.join('\n') };
  }

  it('a pinned audience the server refuses: FAIL, and the hint names the value that works', async () => {
    const r = await liveTokenLines('pinned-audience.json', { strategy: 'oauth2', issuer: strict.issuer, clientId: 'doctor-client', clientAuth: { method: 'private_key_jwt', alg: 'ES256', audience: 'issuer', signingKey: `file:${sb.pki.signing.es256.key}` } });
    expect(r.code).to.equal(1);
    expect(r.line).to.match(/^\[FAIL\] live token: Token endpoint answered HTTP 403/);
    expect(r.hint).to.equal('hint: clientAuth.audience "issuer" is refused, but finauth got a token with another value: in providers[0] set "clientAuth": { "audience": "token_endpoint" }');
  });

  it('a pinned Basic encoding the server refuses: the hint names "raw"', async () => {
    const r = await liveTokenLines('pinned-encoding.json', { strategy: 'client_secret_basic', tokenEndpoint: strict.tokenEndpoint, clientId: 'doctor-client', clientSecret: secret, credentialEncoding: 'form-urlencoded' });
    expect(r.line).to.match(/^\[FAIL\] live token:/);
    expect(r.hint).to.equal('hint: credentialEncoding "form-urlencoded" is refused, but finauth got a token with another value: in providers[0] set "credentialEncoding": "raw"');
    expect(r.text).not.to.contain(secret);
  });

  it('the default (auto) adapts: WARN with the token, and the line to pin', async () => {
    const r = await liveTokenLines('auto.json', { strategy: 'oauth2', issuer: strict.issuer, clientId: 'doctor-client', clientAuth: { method: 'private_key_jwt', alg: 'ES256', signingKey: `file:${sb.pki.signing.es256.key}` } });
    expect(r.code).to.equal(0);
    expect(r.line).to.match(/^\[WARN\] live token: Bearer token, .* after the server refused clientAuth.audience "issuer" and accepted "token_endpoint"$/);
    expect(r.hint).to.equal('hint: pin it to skip the refused attempt after each restart: in providers[0] set "clientAuth": { "audience": "token_endpoint" }');
  });

  it('a bare 403 that no variant fixes (a wrong secret): FAIL, and the hint says what an empty 403 usually means', async () => {
    const r = await liveTokenLines('bare-403.json', { strategy: 'client_secret_basic', tokenEndpoint: strict.tokenEndpoint, clientId: 'doctor-client', clientSecret: 'not-the-secret' });
    expect(r.line).to.match(/^\[FAIL\] live token: Token endpoint answered HTTP 403/);
    expect(r.hint).to.match(/^hint: a 403 with an empty body usually means the server, or a gateway\/WAF in front of it, refused the client authentication without saying why/);
    expect(r.text).not.to.contain('not-the-secret');
  });
});
