import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { runToken } from '../src/commands/runToken.js';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { runBin } from './support/runBin.js';

/**
 * `"strategies": [...]` in the config file: strategy packages the cli loads for token and doctor,
 * resolved from the config file's folder. The packages here are written into that folder's
 * node_modules, as `npm install @acme/...` next to the config would put them.
 */
describe('strategies named in the config file', () => {
  // Inside the repository, so the fixture packages resolve @finauth/core and inversify as installed.
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'strategies-fixture');
  let sb: Sandbox;

  function pkg(name: string, source: string): void {
    const root = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { default: './index.js' } } }));
    writeFileSync(join(root, 'index.js'), source);
  }
  function config(name: string, strategies: unknown): string {
    const file = join(dir, name);
    const post = sb.ofp.clients.post;
    const provider = { id: 'plugin-post', strategy: 'client_secret_post', tokenEndpoint: post.tokenEndpoint, clientId: post.clientId, clientSecret: post.clientSecret, scope: 'accounts', tls: { ca: `file:${sb.pki.caCert}` } };
    writeFileSync(file, JSON.stringify({ strategies, providers: [provider] }));
    return file;
  }

  before(async () => {
    sb = await startSandbox();
    rmSync(dir, { recursive: true, force: true });
    pkg('@acme/finauth-post', "export { clientSecretPost as default } from '@finauth-test/client-secret-post';\n");
    pkg('@acme/finauth-post-named', "export { clientSecretPost } from '@finauth-test/client-secret-post';\n");
    pkg('@acme/not-a-strategy', 'export default function notAStrategy() { return { hello: 1 }; }\n');
    pkg('@acme/broken', "throw new Error('boom at load');\n");
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sb.stop();
  });

  it('finauth token loads a strategy package by name (its default export) and gets a token through it', async () => {
    const io = memoryIo();
    const before = sb.ofp.stats.tokenRequests.basic;
    const code = await runToken(io, { providerId: 'plugin-post', config: config('default.json', ['@acme/finauth-post']) });
    expect(code, io.stderr.join('\n')).to.equal(0);
    expect(io.stdout).to.have.length(1);
    expect(io.stdout[0]).to.have.length.greaterThan(10);
    expect(sb.ofp.stats.tokenRequests.basic, 'the token came from the sandbox (its non-FAPI server)').to.equal(before + 1);
  });

  it('a named export: "package#export"', async () => {
    const io = memoryIo();
    expect(await runToken(io, { providerId: 'plugin-post', config: config('named.json', ['@acme/finauth-post-named#clientSecretPost']) })).to.equal(0);
    expect(io.stdout).to.have.length(1);
  });

  it('finauth doctor loads it too: every check of the plug-in provider passes', async () => {
    const io = memoryIo();
    const code = await runDoctor(io, { config: config('doctor.json', ['@acme/finauth-post', '@finauth/fapi2']) });
    expect(code, io.stdout.join('\n')).to.equal(0);
    expect(io.stdout.join('\n')).to.match(/\[PASS\] live token: Bearer token/);
  });

  const failures: Array<[string, unknown, RegExp]> = [
    ['a package that is not installed', ['@acme/missing'], /^finauth token: Invalid finauth configuration \(1 issue\): strategies\[0\]: "@acme\/missing" cannot be found from .* install it next to the config file \(npm install @acme\/missing\) \(ConfigError, code FINAUTH_CONFIG\)$/],
    ['a package that is not a strategy module', ['@acme/not-a-strategy'], /strategies\[0\]: "@acme\/not-a-strategy" is not a strategy module: its default export does not give an inversify ContainerModule/],
    ['a package without the named export', ['@acme/finauth-post#nope'], /strategies\[0\]: "@acme\/finauth-post#nope" is not a strategy module: it has no export "nope"/],
    ['a package that throws while loading', ['@acme/broken'], /strategies\[0\]: "@acme\/broken" failed to load: boom at load/],
    ['"strategies" that is not a list of names', '@acme/finauth-post', /strategies: must be an array of package names/],
  ];
  for (const [what, strategies, message] of failures) {
    it(`${what}: one line on stderr, exit 1`, async () => {
      const io = memoryIo();
      expect(await runToken(io, { providerId: 'plugin-post', config: config('bad.json', strategies) })).to.equal(1);
      expect(io.stderr).to.have.length(1);
      expect(io.stderr[0]).to.match(message);
      expect(io.stdout).to.deep.equal([]);
    });
  }

  it('doctor: a strategy package that cannot be loaded is one FAIL on the config file, nothing more', async () => {
    const io = memoryIo();
    expect(await runDoctor(io, { config: config('doctor-bad.json', ['@acme/missing']) })).to.equal(1);
    const text = io.stdout.join('\n');
    expect(text.match(/\[FAIL\]/g)).to.have.length(1);
    expect(io.stdout[1]).to.match(/^\[FAIL\] config file: strategies\[0\]: "@acme\/missing" cannot be found/);
  });

  it('as a process: the config names the package, `finauth token` prints a token', async () => {
    const r = await runBin(['token', 'plugin-post', '--config', config('bin.json', ['@acme/finauth-post'])]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.have.length.greaterThan(10);
  });
});
