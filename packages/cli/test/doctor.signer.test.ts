import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { counts } from './fixtures/countingSigner.js';
import { closedPort, tempFolder } from './support/configFile.js';

/** The fixture signer package, named in "strategies" by path: the very copy whose counts this test reads. */
const COUNTING_SIGNER = fileURLToPath(new URL('./fixtures/countingSigner.js', import.meta.url));
const PIN_ENV = 'FINAUTH_TEST_COUNTING_PIN';

/**
 * How doctor opens a signer declared by type (`"signer": { "type": ... }`): through client-auth's
 * SIGNER_FACTORY, from the modules the config's "strategies" names (the cli knows no signer type).
 * An HSM token locks after a few wrong PINs, so doctor must not log in more than it needs: once for
 * its "signer" check, once for the provider's own instance, never for the whole-file pass.
 * (The PKCS#11 signer itself is checked in packages/signer-pkcs11/test/doctor.test.ts.)
 */
describe('finauth doctor: how often a declared signer is opened', () => {
  let folder: ReturnType<typeof tempFolder>;
  let port: number;

  before(async () => {
    folder = tempFolder();
    port = await closedPort();
  });
  after(() => {
    delete process.env[PIN_ENV];
    folder.remove();
  });
  beforeEach(() => {
    counts.opened = 0;
    counts.refused = 0;
    counts.closed = 0;
  });

  function config(name: string): string {
    const provider = {
      id: 'counted',
      strategy: 'oauth2',
      tokenEndpoint: `https://127.0.0.1:${port}/token`,
      clientId: 'c1',
      clientAuth: { method: 'private_key_jwt', alg: 'ES256', signer: { type: 'counting', pin: `env:${PIN_ENV}` } },
    };
    return folder.write(name, { strategies: [COUNTING_SIGNER], providers: [provider] });
  }

  it('a signer that opens: opened by the "signer" check and by the provider instance, each closed; none for the whole file', async () => {
    process.env[PIN_ENV] = 'right';
    const io = memoryIo();
    await runDoctor(io, { config: config('opens.json') });
    const text = io.stdout.join('\n');
    expect(text).to.match(/\[WARN\] signer: ES256 key found, test JWS verified with its public key \(RFC 7638 thumbprint [\w-]+\); no kid and no certificate/);
    expect(text).to.match(/\[PASS\] config valid: strategy oauth2, client authentication private_key_jwt/);
    expect(counts).to.deep.equal({ opened: 2, refused: 0, closed: 2 });
  });

  it('a refused PIN: one attempt in the whole run, one FAIL line', async () => {
    process.env[PIN_ENV] = 'wrong';
    const io = memoryIo();
    const code = await runDoctor(io, { config: config('refused.json') });
    expect(code).to.equal(1);
    expect(io.stdout.filter((l) => l.includes('[FAIL]'))).to.deep.equal(['  [FAIL] signer: providers[0].clientAuth.signer.pin: refused by the counting token']);
    expect(counts).to.deep.equal({ opened: 0, refused: 1, closed: 0 });
  });
});
