import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { runDoctor } from '../src/doctor/runDoctor.js';
import { memoryIo } from '../src/io.js';
import { closedPort, sandboxProviders, tempFolder } from './support/configFile.js';
import { runBin } from './support/runBin.js';

type Provider = Record<string, unknown> & { id: string };

describe('finauth doctor', () => {
  let sb: Sandbox;
  let folder: ReturnType<typeof tempFolder>;
  let p: ReturnType<typeof sandboxProviders>;

  before(async () => {
    sb = await startSandbox();
    folder = tempFolder();
    p = sandboxProviders(sb);
  });
  after(async () => {
    folder.remove();
    await sb.stop();
  });

  async function doctor(name: string, providers: Provider[] | string): Promise<{ code: number; lines: string[]; text: string }> {
    const config = folder.write(name, typeof providers === 'string' ? providers : { providers });
    const io = memoryIo();
    const code = await runDoctor(io, { config });
    return { code, lines: io.stdout, text: io.stdout.join('\n') };
  }

  /** The verdict line of `check` in the section of provider `id`. */
  function verdict(lines: string[], id: string, check: string): string {
    const start = lines.findIndex((l) => l.startsWith(`provider ${id} `));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('provider '));
    const line = lines.slice(start, end === -1 ? undefined : end).find((l) => new RegExp(`^  \\[\\w+\\] ${check}:`).test(l));
    if (!line) throw new Error(`no "${check}" line for ${id}:\n${lines.join('\n')}`);
    return line.trim();
  }

  it('a good config: every check passes or does not apply, exit 0, file: paths relative to the config file', async () => {
    const certs = join(folder.dir, 'certs');
    mkdirSync(certs, { recursive: true });
    copyFileSync(sb.pki.clients.transport.cert, join(certs, 'transport.pem'));
    copyFileSync(sb.pki.clients.transport.key, join(certs, 'transport.key'));
    copyFileSync(sb.pki.caCert, join(certs, 'ca.pem'));
    const tls = { cert: 'file:certs/transport.pem', key: 'file:certs/transport.key', ca: 'file:certs/ca.pem' };
    const { code, lines, text } = await doctor('good.json', [{ ...p.pkjwt, tls }, { ...p.tlsAuth, tls }, p.bnp]);
    expect(code, text).to.equal(0);
    expect(text).to.not.match(/\[(FAIL|WARN)\]/);
    expect(lines[1]).to.equal('[PASS] config file: 3 provider(s), valid');
    // private_key_jwt also references its signing key.
    for (const [id, files] of [['ofp-private-key-jwt', 4], ['ofp-tls-client-auth', 3]] as const) {
      expect(verdict(lines, id, 'config valid')).to.match(/^\[PASS\] config valid: strategy fapi2/);
      expect(verdict(lines, id, 'referenced files and variables')).to.equal(`[PASS] referenced files and variables: ${files} file(s) and 0 environment variable(s) resolved`);
      expect(verdict(lines, id, 'certificate and key match')).to.match(/^\[PASS\] certificate and key match: tls.key belongs to CN=/);
      expect(verdict(lines, id, 'certificate validity')).to.match(/^\[PASS\] certificate validity: valid until \d{4}-\d\d-\d\d \(\d+ days left\)$/);
      expect(verdict(lines, id, 'discovery')).to.include(`issuer matches; token endpoint ${sb.ofp.mtlsTokenEndpoint} (mtls_endpoint_aliases)`);
      expect(verdict(lines, id, 'TLS handshake')).to.match(/^\[PASS\] TLS handshake: 127\.0\.0\.1:\d+: TLSv1\.[23], \S+, the server accepted this client$/);
      expect(verdict(lines, id, 'live token')).to.match(/^\[PASS\] live token: Bearer token, expires in \d+ s, scope "accounts"/);
    }
    expect(verdict(lines, 'ofp-private-key-jwt', 'signing key fits the alg')).to.equal('[PASS] signing key fits the alg: RSA 2048-bit key, fits PS256');
    expect(verdict(lines, 'bnp-gateway', 'discovery')).to.match(/^\[SKIP\] discovery: not used: tokenEndpoint is configured/);
    expect(verdict(lines, 'bnp-gateway', 'live token')).to.match(/^\[PASS\] live token/);
    expect(lines.at(-1)).to.match(/^doctor: \d+ passed, 0 warned, 0 failed, \d+ skipped$/);
  });

  it('a SNAP BI provider: its key checked (RSA, verifies its own signature), a live token, exit 0', async () => {
    const { code, lines, text } = await doctor('snap.json', [p.snap]);
    expect(code, text).to.equal(0);
    expect(verdict(lines, 'snap-bi-bank', 'config valid')).to.match(/^\[PASS\] config valid: strategy snap_bi/);
    expect(verdict(lines, 'snap-bi-bank', 'SNAP BI signing key')).to.equal('[PASS] SNAP BI signing key: RSA 2048-bit key, SHA256withRSA signature verified with its public key');
    expect(verdict(lines, 'snap-bi-bank', 'live token')).to.match(/^\[PASS\] live token: Bearer token, expires in \d+ s/);
    expect(verdict(lines, 'snap-bi-bank', 'signing key fits the alg')).to.match(/^\[SKIP\]/);
  });

  it('a SNAP BI key the bank did not register: the key check passes, the live token fails with 4017300 and the SNAP hint', async () => {
    const { code, lines } = await doctor('snap-wrong.json', [{ ...p.snap, privateKey: `file:${sb.snap.keys.wrongPrivateKey}` }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'snap-bi-bank', 'SNAP BI signing key')).to.match(/^\[PASS\]/);
    expect(verdict(lines, 'snap-bi-bank', 'live token')).to.match(/^\[FAIL\] live token: .*HTTP 401 4017300/);
    const hint = lines[lines.findIndex((l) => l.includes('[FAIL] live token')) + 1];
    expect(hint).to.match(/hint: .*registered this key's public key.*clock/);
  });

  it('a SNAP BI key that cannot sign SHA256withRSA (an EC key): fails the key check; the config and the network checks are not run', async () => {
    const { code, lines } = await doctor('snap-ec.json', [{ ...p.snap, privateKey: `file:${sb.pki.signing.es256.key}` }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'snap-bi-bank', 'SNAP BI signing key')).to.match(/^\[FAIL\] SNAP BI signing key: privateKey is a ec key; SNAP BI signs with SHA256withRSA/);
    expect(verdict(lines, 'snap-bi-bank', 'config valid')).to.equal('[SKIP] config valid: not run: "SNAP BI signing key" failed');
    expect(verdict(lines, 'snap-bi-bank', 'live token')).to.equal('[SKIP] live token: not run: "discovery" did not run');
  });

  it('the wrong key for the certificate: one FAIL ("certificate and key match"), what depends on it skipped, exit 1', async () => {
    const { code, lines, text } = await doctor('wrong-key.json', [{ ...p.pkjwt, tls: { ...(p.pkjwt['tls'] as object), key: `file:${sb.pki.clients.unregistered.key}` } }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-private-key-jwt', 'certificate and key match')).to.equal('[FAIL] certificate and key match: tls.key is not the private key of tls.cert');
    expect(verdict(lines, 'ofp-private-key-jwt', 'config valid')).to.equal('[SKIP] config valid: not run: "certificate and key match" failed');
    expect(verdict(lines, 'ofp-private-key-jwt', 'live token')).to.equal('[SKIP] live token: not run: "discovery" did not run');
    expect(text.match(/\[FAIL\]/g), 'one mistake, one FAIL').to.have.length(1);
    const hint = lines[lines.findIndex((l) => l.includes('[FAIL] certificate and key match')) + 1];
    expect(hint).to.match(/^\s+hint: compare `openssl x509/);
  });

  it('an expired certificate: fails "certificate validity", exit 1', async () => {
    const expired = sb.pki.clients.expired;
    const { code, lines } = await doctor('expired.json', [{ ...p.tlsAuth, tls: { cert: `file:${expired.cert}`, key: `file:${expired.key}`, ca: `file:${sb.pki.caCert}` } }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-tls-client-auth', 'certificate validity')).to.match(/^\[FAIL\] certificate validity: tls.cert expired on \d{4}-\d\d-\d\d$/);
    expect(verdict(lines, 'ofp-tls-client-auth', 'certificate and key match')).to.match(/^\[PASS\]/);
  });

  it('a certificate expiring within 30 days: warns, exit 0', async () => {
    const soon = sb.pki.clients.expiringSoon;
    const { code, lines, text } = await doctor('soon.json', [{ ...p.pkjwt, tls: { cert: `file:${soon.cert}`, key: `file:${soon.key}`, ca: `file:${sb.pki.caCert}` } }]);
    expect(code, text).to.equal(0);
    expect(verdict(lines, 'ofp-private-key-jwt', 'certificate validity')).to.match(/^\[WARN\] certificate validity: tls.cert expires on \d{4}-\d\d-\d\d, in \d+ days$/);
    expect(lines.at(-1)).to.match(/^doctor: \d+ passed, 1 warned, 0 failed/);
  });

  it('a wrong issuer (trailing slash): fails discovery with the RFC 8414 mismatch, exit 1', async () => {
    const { code, lines } = await doctor('wrong-issuer.json', [{ ...p.pkjwt, issuer: `${sb.ofp.issuer}/` }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-private-key-jwt', 'discovery')).to.match(/^\[FAIL\] discovery: .*FINAUTH_DISCOVERY\)$/);
    expect(verdict(lines, 'ofp-private-key-jwt', 'live token')).to.equal('[SKIP] live token: not run: "discovery" failed');
  });

  it('an issuer with no discovery document at all: fails discovery, exit 1', async () => {
    const { code, lines } = await doctor('no-doc.json', [{ ...p.pkjwt, issuer: `${sb.ofp.issuer}/tenant-b` }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-private-key-jwt', 'discovery')).to.match(/^\[FAIL\] discovery: No discovery document for issuer .*HTTP 404.*FINAUTH_DISCOVERY\)$/);
  });

  it('an unreachable host: one FAIL (TLS handshake), discovery and live token skipped, exit 1', async () => {
    const port = await closedPort();
    const { code, lines, text } = await doctor('unreachable.json', [{ ...p.pkjwt, issuer: `https://127.0.0.1:${port}`, timeoutMs: 2000, retry: { maxRetries: 0 } }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-private-key-jwt', 'TLS handshake')).to.equal(`[FAIL] TLS handshake: 127.0.0.1:${port}: ECONNREFUSED (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(lines[lines.findIndex((l) => l.includes('[FAIL] TLS handshake')) + 1]).to.match(/hint: the host does not answer/);
    expect(verdict(lines, 'ofp-private-key-jwt', 'discovery')).to.equal('[SKIP] discovery: not run: "TLS handshake" failed');
    expect(verdict(lines, 'ofp-private-key-jwt', 'live token')).to.equal('[SKIP] live token: not run: "discovery" did not run');
    expect(text.match(/\[FAIL\]/g)).to.have.length(1);
  });

  it('a referenced file that does not exist: names the field, exit 1', async () => {
    const { code, lines } = await doctor('missing-file.json', [{ ...p.tlsAuth, tls: { ...(p.tlsAuth['tls'] as object), cert: 'file:certs/nowhere.pem' } }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'ofp-tls-client-auth', 'referenced files and variables')).to.match(/^\[FAIL\] referenced files and variables: providers\[0\]\.tls\.cert: cannot read file .*nowhere\.pem \(ENOENT\)$/);
  });

  it('an env: reference to an unset variable: names the field and the variable, not a value', async () => {
    delete process.env['FINAUTH_DOCTOR_TEST_SECRET'];
    const { code, lines } = await doctor('missing-env.json', [{ ...p.bnp, clientSecret: 'env:FINAUTH_DOCTOR_TEST_SECRET' }]);
    expect(code).to.equal(1);
    expect(verdict(lines, 'bnp-gateway', 'referenced files and variables')).to.equal('[FAIL] referenced files and variables: providers[0].clientSecret: environment variable FINAUTH_DOCTOR_TEST_SECRET is not set');
  });

  it('a file that is not JSON: one failed check, exit 1', async () => {
    const { code, lines } = await doctor('garbage.json', '{ "providers": [');
    expect(code).to.equal(1);
    expect(lines[1]).to.match(/^\[FAIL\] config file: .*is not valid JSON.*FINAUTH_CONFIG\)$/);
  });

  /** The hint printed under the FAIL of `check` for provider `id`. */
  function hintOf(lines: string[], id: string, check: string): string {
    const line = verdict(lines, id, check);
    const at = lines.findIndex((l) => l.trim() === line);
    return lines[at + 1]!.trim();
  }

  describe('hints that fit the strategy and the failure', () => {
    it('a Basic 401 points at clientSecret and credentialEncoding, never at kid or the assertion audience', async () => {
      const { code, lines, text } = await doctor('basic-401.json', [{ ...p.bnp, clientSecret: 'not-the-secret' }]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'bnp-gateway', 'live token')).to.match(/^\[FAIL\] live token: Token endpoint answered HTTP 401/);
      const hint = hintOf(lines, 'bnp-gateway', 'live token');
      expect(hint).to.match(/^hint: .*clientSecret.*credentialEncoding/);
      expect(hint).to.not.match(/kid|audience|assertion|certificate/);
      expect(text.match(/\[FAIL\]/g)).to.have.length(1);
    });

    it('a private_key_jwt refusal points at the key, its kid and the audience, and prints the x-fapi-interaction-id', async () => {
      const signing = sb.pki.signing.unregisteredSigning;
      const { code, lines } = await doctor('pkjwt-401.json', [{ ...p.pkjwt, clientAuth: { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: 'not-registered' } }]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'ofp-private-key-jwt', 'live token')).to.match(/^\[FAIL\] live token: .*x-fapi-interaction-id [0-9a-f-]{36}: quote it to the bank's support\)$/);
      expect(hintOf(lines, 'ofp-private-key-jwt', 'live token')).to.match(/^hint: the bank refused the client assertion: .*signingKey.*kid.*audience/);
    });

    it('a tls_client_auth refusal (a certificate the bank does not have for this client) points at tls.cert', async () => {
      const other = sb.pki.clients.unregistered;
      const { code, lines } = await doctor('tls-auth-401.json', [{ ...p.tlsAuth, tls: { cert: `file:${other.cert}`, key: `file:${other.key}`, ca: `file:${sb.pki.caCert}` } }]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'ofp-tls-client-auth', 'TLS handshake')).to.match(/^\[PASS\]/);
      expect(verdict(lines, 'ofp-tls-client-auth', 'live token')).to.match(/^\[FAIL\] live token: .*x-fapi-interaction-id /);
      expect(hintOf(lines, 'ofp-tls-client-auth', 'live token')).to.match(/^hint: the bank did not match the client certificate to the client: .*tls\.cert/);
    });

    it('a client certificate the server rejects after the handshake is named as that, not as a trust problem; one FAIL', async () => {
      const foreign = sb.pki.clients.foreign;
      const { code, lines, text } = await doctor('foreign-cert.json', [{ ...p.tlsAuth, tls: { cert: `file:${foreign.cert}`, key: `file:${foreign.key}`, ca: `file:${sb.pki.caCert}` } }]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'ofp-tls-client-auth', 'TLS handshake')).to.match(/^\[FAIL\] TLS handshake: 127\.0\.0\.1:\d+: the server rejected the client certificate/);
      const hint = hintOf(lines, 'ofp-tls-client-auth', 'TLS handshake');
      expect(hint).to.match(/^hint: the server rejected the client certificate: check tls\.cert is the certificate registered/);
      expect(hint).to.not.include('tls.ca');
      expect(verdict(lines, 'ofp-tls-client-auth', 'discovery')).to.equal('[SKIP] discovery: not run: "TLS handshake" failed');
      expect(text.match(/\[FAIL\]/g)).to.have.length(1);
    });

    it("a server certificate this client does not trust (no tls.ca) points at tls.ca; one FAIL", async () => {
      const { tls: _, ...noCa } = p.bnp;
      const { code, lines, text } = await doctor('no-ca.json', [noCa as Provider]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'bnp-gateway', 'TLS handshake')).to.match(/^\[FAIL\] TLS handshake: 127\.0\.0\.1:\d+: the server's certificate is not trusted/);
      expect(hintOf(lines, 'bnp-gateway', 'TLS handshake')).to.match(/^hint: this client does not trust the server's certificate: add the bank's CA to tls\.ca/);
      expect(text.match(/\[FAIL\]/g)).to.have.length(1);
    });

    it('a misspelt field: one FAIL ("config valid", with "did you mean"), the file check passes', async () => {
      const { clientSecret, ...rest } = p.bnp;
      const { code, lines, text } = await doctor('typo.json', [{ ...rest, clientSecrte: clientSecret } as Provider]);
      expect(code).to.equal(1);
      expect(lines[1]).to.equal('[PASS] config file: 1 provider(s) read; each is checked below');
      expect(verdict(lines, 'bnp-gateway', 'config valid')).to.equal('[FAIL] config valid: providers[0].clientSecrte: unknown field (did you mean "clientSecret"?); providers[0].clientSecret: is required');
      expect(text.match(/\[FAIL\]/g)).to.have.length(1);
    });
  });

  describe('resource origins (issue 12)', () => {
    it('a plain bearer token without resourceOrigins: warns, with the field to add, exit 0', async () => {
      const { resourceOrigins: _, ...bnp } = p.bnp;
      const { code, lines, text } = await doctor('no-origins.json', [bnp as Provider]);
      expect(code, text).to.equal(0);
      expect(verdict(lines, 'bnp-gateway', 'resource origins')).to.equal('[WARN] resource origins: not set: http() sends this plain bearer token to any https origin a URL names');
      const hint = lines[lines.findIndex((l) => l.includes('[WARN] resource origins')) + 1];
      expect(hint).to.equal(`         hint: list the origins of the APIs you call with this provider, e.g. "resourceOrigins": ["${new URL(sb.gateway.tokenEndpoint).origin}"]`);
      expect(lines.at(-1)).to.match(/^doctor: \d+ passed, 1 warned, 0 failed/);
    });

    it('resourceOrigins set: passes, naming the origins', async () => {
      const { lines } = await doctor('origins.json', [p.bnp]);
      expect(verdict(lines, 'bnp-gateway', 'resource origins')).to.equal(`[PASS] resource origins: http() sends the token only to ${new URL(sb.gateway.helloUrl).origin}`);
    });

    it('a client certificate (fapi2, or mTLS on a Basic gateway): passes without resourceOrigins, saying why', async () => {
      const { resourceOrigins: _, ...bnp } = p.bnp;
      const transport = sb.pki.clients.transport;
      const mtlsBnp = { ...bnp, tls: { cert: `file:${transport.cert}`, key: `file:${transport.key}`, ca: `file:${sb.pki.caCert}` } };
      const { lines } = await doctor('mtls.json', [p.tlsAuth, mtlsBnp as Provider]);
      for (const id of ['ofp-tls-client-auth', 'bnp-gateway']) {
        expect(verdict(lines, id, 'resource origins')).to.match(/^\[PASS\] resource origins: not set: .*client certificate \(mTLS\)/);
      }
    });

    it('an invalid resourceOrigins: config valid fails on it, resource origins is skipped', async () => {
      const { code, lines } = await doctor('bad-origins.json', [{ ...p.bnp, resourceOrigins: ['http://gateway.example'] }]);
      expect(code).to.equal(1);
      expect(verdict(lines, 'bnp-gateway', 'config valid')).to.match(/providers\[0\]\.resourceOrigins: \[0\] must use https:/);
      expect(verdict(lines, 'bnp-gateway', 'resource origins')).to.equal('[SKIP] resource origins: not run: "config valid" failed');
    });
  });

  it('as a process: exit code 1 on a broken config, 0 on a good one, exiting on its own', async () => {
    const bad = folder.write('bin-bad.json', { providers: [{ ...p.bnp, clientSecret: 'not-the-secret' }] });
    const good = folder.write('bin-good.json', { providers: [p.bnp] });
    const [r1, r0] = [await runBin(['doctor', '--config', bad]), await runBin(['doctor', '--config', good])];
    expect(r1.signal).to.equal(null);
    expect(r1.code).to.equal(1);
    expect(r1.stdout).to.match(/\[FAIL\] live token: Token endpoint answered HTTP 401/);
    expect(r1.stdout).to.not.include('not-the-secret');
    expect(r0.signal).to.equal(null);
    expect(r0.code, r0.stdout).to.equal(0);
  });

  it('DPoP providers: a generated key passes and the server advertises its alg; a key that does not fit dpop.alg fails by path', async () => {
    const dpopClient = { ...p.pkjwt, id: 'dpop-ok', clientId: sb.ofp.clients.dpop.clientId, dpop: true };
    const wrongKey = { ...p.pkjwt, id: 'dpop-bad', clientId: sb.ofp.clients.dpop.clientId, dpop: { alg: 'ES256', key: `file:${sb.pki.signing.ps256.key}` } };
    const { lines, text } = await doctor('dpop.json', [dpopClient, wrongKey]);
    expect(verdict(lines, 'dpop-ok', 'DPoP key')).to.match(/^\[PASS\] DPoP key: generated ES256 key \(thumbprint [\w-]{43}\), test proof verifies; the server advertises ES256$/);
    expect(verdict(lines, 'dpop-ok', 'live token')).to.match(/^\[PASS\]/);
    expect(verdict(lines, 'dpop-bad', 'DPoP key')).to.match(/^\[FAIL\] DPoP key: dpop.key is a rsa key; alg ES256 needs an EC P-256 key/);
    expect(text).to.not.include('PRIVATE KEY');
  });

  it('EdDSA: an Ed25519 key fits, an EC key under EdDSA is named as the wrong kind', async () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const withKey = (id: string, signingKey: string): Provider => ({ ...p.pkjwt, id, clientAuth: { method: 'private_key_jwt', signingKey, alg: 'EdDSA', kid: 'ed' } });
    const { lines, text } = await doctor('eddsa.json', [withKey('ed-ok', ed25519), withKey('ed-ec', p256)]);
    expect(verdict(lines, 'ed-ok', 'signing key fits the alg')).to.equal('[PASS] signing key fits the alg: ed25519 key, fits EdDSA');
    expect(verdict(lines, 'ed-ec', 'signing key fits the alg')).to.equal('[FAIL] signing key fits the alg: clientAuth.signingKey is a ec key; alg EdDSA needs an Ed25519 key');
    expect(text).to.not.include('PRIVATE KEY');
  });
});
