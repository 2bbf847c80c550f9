import type { Sandbox } from '@finauth/sandbox';

/** The template's provider (its `my_bank` kind speaks client_secret_post) against the sandbox. */
export function templateProvider(sb: Sandbox): Record<string, unknown> {
  const post = sb.ofp.clients.post;
  return { id: 'mybank', strategy: 'my_bank', tokenEndpoint: post.tokenEndpoint, clientId: post.clientId, clientSecret: post.clientSecret, scope: 'accounts', tls: { ca: `file:${sb.pki.caCert}` } };
}

/** The sandbox's providers as a user's config file holds them (absolute `file:` paths). */
function providers(sb: Sandbox, mybank: Record<string, unknown>): Array<Record<string, unknown>> {
  const t = sb.pki.clients.transport;
  const tls = { cert: `file:${t.cert}`, key: `file:${t.key}`, ca: `file:${sb.pki.caCert}` };
  const signing = sb.pki.signing.ps256;
  return [
    { id: 'ofp-private-key-jwt', strategy: 'fapi2', issuer: sb.ofp.issuer, clientId: sb.ofp.clients.ps256.clientId, clientAuth: { method: 'private_key_jwt', signingKey: `file:${signing.key}`, alg: signing.alg, kid: signing.kid }, tls, scope: 'accounts' },
    { id: 'ofp-tls-client-auth', strategy: 'fapi2', issuer: sb.ofp.issuer, clientId: sb.ofp.clients.tlsClientAuth.clientId, clientAuth: { method: 'tls_client_auth' }, tls, scope: 'accounts' },
    { id: 'bnp-gateway', strategy: 'client_secret_basic', tokenEndpoint: sb.gateway.tokenEndpoint, clientId: sb.gateway.clientId, clientSecret: sb.gateway.clientSecret, credentialEncoding: 'raw', tls: { ca: `file:${sb.pki.caCert}` } },
    mybank,
  ];
}

/**
 * The files of the outside app: a config file naming the template for the CLI, an ES module
 * program, a CommonJS program and a strict TypeScript program, each written as a user would.
 */
export function appFiles(sb: Sandbox, mybank: Record<string, unknown>): Record<string, string> {
  const config = { strategies: ['@acme/finauth-mybank'], providers: providers(sb, mybank) };
  return {
    'package.json': JSON.stringify({ name: 'finauth-user-app', private: true, type: 'module' }, null, 2),
    'finauth.json': JSON.stringify(config, null, 2),
    'esm.mjs': `import { readFileSync } from 'node:fs';
import { createFinauth, loadConfigFile } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import myBank from '@acme/finauth-mybank';

const auth = createFinauth({ ...loadConfigFile('finauth.json'), strategies: [fapi2(), clientSecretBasic(), myBank()] });
const out = {};
for (const id of auth.providerIds) out[id] = (await auth.getToken(id)).tokenType;
await auth.close();
process.stdout.write(JSON.stringify(out));
`,
    'cjs.cjs': `const { createFinauth, loadConfigFile } = require('@finauth/core');
const { fapi2 } = require('@finauth/fapi2');
const { clientSecretBasic } = require('@finauth/client-secret-basic');
const { myBank } = require('@acme/finauth-mybank');

async function main() {
  const { providers } = loadConfigFile('finauth.json');
  const wanted = ['ofp-private-key-jwt', 'bnp-gateway', 'mybank'];
  const auth = createFinauth({ strategies: [fapi2(), clientSecretBasic(), myBank()], providers: providers.filter((p) => wanted.includes(p.id)) });
  const out = {};
  try {
    for (const id of wanted) out[id] = (await auth.getToken(id)).tokenType;
  } finally {
    await auth.close();
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`,
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'], strict: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true },
        files: ['typed.ts'],
      },
      null,
      2,
    ),
    'typed.ts': `import { ConfigError, createFinauth, type AccessToken, type Finauth } from '@finauth/core';
import { clientSecretBasic, clientSecretBasicProvider } from '@finauth/client-secret-basic';
import { fapi2, fapi2Provider } from '@finauth/fapi2';
import { redisCache } from '@finauth/cache-redis';
import { startSandbox, type Sandbox } from '@finauth/sandbox';
import { runCli } from '@finauth/cli';
import myBank, { myBankProvider } from '@acme/finauth-mybank';

export function build(): Finauth {
  return createFinauth({
    strategies: [fapi2(), clientSecretBasic(), myBank()],
    providers: [
      fapi2Provider({ id: 'paynet', strategy: 'fapi2', issuer: 'https://ofp.example.my', clientId: 'abc', clientAuth: { method: 'private_key_jwt', signingKey: 'file:k.pem', alg: 'PS256', kid: 'k1' }, tls: { cert: 'file:c.pem', key: 'file:c.key' } }),
      clientSecretBasicProvider({ id: 'bnp', strategy: 'client_secret_basic', tokenEndpoint: 'https://gw.example/token', clientId: 'key', clientSecret: 'env:BNP', credentialEncoding: 'raw' }),
      myBankProvider({ id: 'mybank', strategy: 'my_bank', tokenEndpoint: 'https://mybank.example/token', clientId: 'c', clientSecret: 'env:MYBANK' }),
      { id: 'plain', strategy: 'client_secret_basic', tokenEndpoint: 'https://gw.example/token', clientId: 'key', clientSecret: 's' },
      // @ts-expect-error a misspelt field fails to compile for the user too
      { id: 'typo', strategy: 'client_secret_basic', tokenEndpoint: 'https://gw.example/token', clientId: 'key', clientSecret: 's', scpoe: 'x' },
    ],
    cache: redisCache({ url: 'rediss://cache.example:6380', keys: [{ id: 'k1', key: 'env:CACHE_KEY' }] }),
  });
}

export async function use(auth: Finauth): Promise<string> {
  const token: AccessToken = await auth.getToken('paynet', { scope: 'accounts' });
  const sandbox: Sandbox = await startSandbox();
  await sandbox.stop();
  const code: number = await runCli(['--help']);
  return \`\${token.tokenType} \${code} \${ConfigError.name}\`;
}
`,
  };
}
