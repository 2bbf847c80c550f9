import { expect } from 'chai';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { runToken } from '../src/commands/runToken.js';
import { memoryIo } from '../src/io.js';
import { sandboxProviders, tempFolder } from './support/configFile.js';
import { runBin } from './support/runBin.js';

describe('finauth token', () => {
  let sb: Sandbox;
  let folder: ReturnType<typeof tempFolder>;
  let config: string;

  before(async () => {
    sb = await startSandbox();
    folder = tempFolder();
    const p = sandboxProviders(sb);
    config = folder.write('finauth.json', { providers: [p.pkjwt, p.tlsAuth, p.bnp] });
  });
  after(async () => {
    folder.remove();
    await sb.stop();
  });

  it('prints the access token alone on stdout: one the server issued', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'ofp-private-key-jwt', config })).to.equal(0);
    expect(io.stdout).to.have.length(1);
    expect(io.stderr).to.deep.equal([]);
    const introspection = await sb.ofp.introspect(io.stdout[0]!);
    expect(introspection['active']).to.equal(true);
    expect(introspection['client_id']).to.equal(sb.ofp.clients.ps256.clientId);
  });

  it('--json prints the whole AccessToken', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'bnp-gateway', config, json: true })).to.equal(0);
    const token = JSON.parse(io.stdout.join('\n')) as Record<string, unknown>;
    expect(token['providerId']).to.equal('bnp-gateway');
    expect(token['tokenType']).to.equal('Bearer');
    expect(token['accessToken']).to.be.a('string').with.length.greaterThan(10);
    expect(Date.parse(String(token['expiresAt'])) - Date.now()).to.be.within(290_000, 300_000);
    // The BNP Paribas CIB gateway page's non-standard fields survive in raw.
    expect((token['raw'] as Record<string, unknown>)['token_type']).to.equal('BearerToken');
  });

  it('--json for a SNAP BI provider: the SNAP answer (responseCode 2007300, expiresIn as a string) survives in raw', async () => {
    const snapConfig = folder.write('snap.json', { providers: [sandboxProviders(sb).snap] });
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'snap-bi-bank', config: snapConfig, json: true })).to.equal(0);
    const token = JSON.parse(io.stdout.join('\n')) as { tokenType: string; raw: Record<string, unknown> };
    expect(token.tokenType).to.equal('Bearer');
    expect(token.raw['responseCode']).to.equal('2007300');
    expect(token.raw['expiresIn']).to.equal('300');
  });

  it('--scope asks for that scope instead of the configured one', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'bnp-gateway', config, json: true, scope: 'aisp' })).to.equal(0);
    expect((JSON.parse(io.stdout.join('\n')) as { scope: string[] }).scope).to.deep.equal(['aisp']);
  });

  it('an unknown provider is one line with the error code, no stack', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'nope', config })).to.equal(1);
    expect(io.stdout).to.deep.equal([]);
    expect(io.stderr).to.have.length(1);
    expect(io.stderr[0]).to.match(/^finauth token: .*unknown provider "nope"; configured: ofp-private-key-jwt, ofp-tls-client-auth, bnp-gateway.*code FINAUTH_CONFIG\)$/);
  });

  it('--verbose adds the stack', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'nope', config, verbose: true })).to.equal(1);
    expect(io.stderr.slice(1).join('\n')).to.match(/ConfigError[\s\S]*\n\s+at /);
  });

  it('a wrong secret is a 401 line that does not contain the secret', async () => {
    const wrongSecret = 'Wr0ng+Secret/Value:canary';
    const p = sandboxProviders(sb);
    const bad = folder.write('wrong-secret.json', { providers: [{ ...p.bnp, clientSecret: wrongSecret }] });
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'bnp-gateway', config: bad, verbose: true })).to.equal(1);
    const text = io.stderr.join('\n');
    expect(text).to.match(/HTTP 401.*FINAUTH_TOKEN_ENDPOINT/);
    expect(text).to.not.include(wrongSecret);
    expect(text).to.not.include(Buffer.from(`${sb.gateway.clientId}:${wrongSecret}`).toString('base64'));
  });

  it('a config file that does not exist is a ConfigError line', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'bnp-gateway', config: `${folder.dir}/missing.json` })).to.equal(1);
    expect(io.stderr[0]).to.match(/cannot read .*missing\.json \(ENOENT\).*FINAUTH_CONFIG/);
  });

  it('as a process: prints the token and exits 0 on its own', async () => {
    const r = await runBin(['token', 'ofp-tls-client-auth', '--config', config]);
    expect(r.signal, 'killed by the timeout: something kept the process alive').to.equal(null);
    expect(r.code, r.stderr).to.equal(0);
    const token = r.stdout.trim();
    expect((await sb.ofp.introspect(token))['active']).to.equal(true);
  });
});
