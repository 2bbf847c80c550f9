import { createFinauth, type AccessToken, type Finauth } from '@finauth/core';
import type { Sandbox, SandboxOptions } from '@finauth/sandbox';
import { describeError, errorStack } from '../describeError.js';
import type { CliIo } from '../io.js';
import { renderTable } from '../renderTable.js';
import { shortenToken } from '../shortenToken.js';
import { loadSandbox, sandboxMissing } from '../sandboxModule.js';
import { shippedStrategies } from '../strategies.js';
import { demoProviders, type DemoProvider } from './demoProviders.js';
import { DemoStepError, step } from './DemoStepError.js';

export interface DemoOptions {
  readonly verbose?: boolean;
  readonly sandbox?: SandboxOptions;
  /** Called with the running sandbox before the first token: lets a test break a server on purpose. */
  readonly prepare?: (sandbox: Sandbox) => void | Promise<void>;
}

interface DemoRow {
  readonly cells: string[];
}

const HEADERS = ['provider', 'strategy', 'auth method', 'token', 'expires', 'scope', 'resource', 'time', 'second call'];

/**
 * `finauth demo`: the sandbox's servers on 127.0.0.1, one finauth instance with a provider per
 * shipped strategy, a token and a protected resource call through each, then the cached path.
 * Everything it writes is in the sandbox's temporary folder, removed on the way out.
 * @returns the exit code: 0, or 1 with the failed step named on stderr
 */
export async function runDemo(io: CliIo, options: DemoOptions = {}): Promise<number> {
  const started = performance.now();
  const sandboxPackage = await loadSandbox();
  if (!sandboxPackage) {
    io.err(sandboxMissing('demo'));
    return 1;
  }
  let sandbox: Sandbox | undefined;
  let finauth: Finauth | undefined;
  try {
    io.out('finauth demo: starting the sandbox servers on 127.0.0.1 ...');
    sandbox = await step('start the sandbox servers', () => sandboxPackage.startSandbox(options.sandbox));
    const sb = sandbox;
    io.out(`  OFP-like FAPI 2.0 authorization server  ${sb.ofp.issuer}`);
    io.out(`  BNP-style API gateway                   ${sb.gateway.baseUrl}`);
    io.out(`  SNAP BI bank (Indonesia)                ${sb.snap.baseUrl}`);
    io.out(`  throwaway PKI                           ${sb.dir}`);
    await options.prepare?.(sb);
    const providers = demoProviders(sb);
    finauth = await step('create the finauth instance', () => createFinauth({ strategies: shippedStrategies(), providers: providers.map((p) => p.config) }));
    const fa = finauth;
    const rows: DemoRow[] = [];
    for (const provider of providers) rows.push(await demoProvider(fa, provider));
    io.out('');
    for (const line of renderTable(HEADERS, rows.map((r) => r.cells))) io.out(line);
    io.out('');
    io.out('second call: getToken again for each provider was answered from the cache (same token, no request to the server).');
    return 0;
  } catch (error) {
    const failure = error instanceof DemoStepError ? error : new DemoStepError('demo', error);
    io.err(`finauth demo: failed at step "${failure.step}": ${describeError(failure.cause)}`);
    if (options.verbose) io.err(errorStack(failure.cause) ?? '');
    return 1;
  } finally {
    await finauth?.close();
    await sandbox?.stop();
    io.out(`finauth demo: every server stopped, temporary files removed (${((performance.now() - started) / 1000).toFixed(1)} s).`);
  }
}

async function demoProvider(fa: Finauth, provider: DemoProvider): Promise<DemoRow> {
  const id = provider.config.id;
  const info = fa.provider(id);
  const t0 = performance.now();
  const token = await step(`get a token from ${id}`, () => fa.getToken(id));
  const fetchMs = performance.now() - t0;
  const status = await step(`call the protected resource of ${id}`, async () => {
    const res = await fa.http(id).get(provider.resourceUrl, { validateStatus: () => true });
    if (res.status !== 200) throw new Error(`${provider.resourceUrl} answered HTTP ${res.status}`);
    return res.status;
  });
  const cachedUs = await step(`get the token of ${id} again, from the cache`, async () => {
    const before = provider.tokenRequests();
    const t1 = performance.now();
    const again = await fa.getToken(id);
    const us = (performance.now() - t1) * 1000;
    if (again.accessToken !== token.accessToken) throw new Error('the second call returned another token: the cache did not serve it');
    if (provider.tokenRequests() !== before) throw new Error('the second call reached the token endpoint: the cache did not serve it');
    return us;
  });
  return { cells: [id, info.strategy, info.authMethod, shortenToken(token.accessToken), expires(token), token.scope.join(' ') || '-', `HTTP ${status}`, `${fetchMs.toFixed(0)} ms`, `cache, ${cachedUs.toFixed(0)} µs`] };
}

function expires(token: AccessToken): string {
  if (!token.expiresAt) return 'not stated';
  return `in ${Math.round((token.expiresAt.getTime() - Date.now()) / 1000)} s`;
}
