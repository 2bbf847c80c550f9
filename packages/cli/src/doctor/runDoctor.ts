import { isSignerConfig } from '@finauth/client-auth';
import { ConfigError, createFinauth, loadConfigFile, type UncheckedProviderConfig } from '@finauth/core';
import { describeError, errorStack } from '../describeError.js';
import type { CliIo } from '../io.js';
import { configStrategies, type StrategySource } from '../strategies.js';
import type { CheckResult, ProviderUnderCheck, Verdict } from './Check.js';
import { DOCTOR_CHECKS } from './checks/index.js';

export interface DoctorOptions {
  readonly config: string;
  readonly verbose?: boolean;
}

const LABEL: Record<Verdict, string> = { pass: '[PASS]', warn: '[WARN]', fail: '[FAIL]', skip: '[SKIP]' };
const HINT_INDENT = ' '.repeat(9);

/**
 * `finauth doctor`: every check for every provider, one verdict line each as it completes, a hint
 * under each warning and failure. A failed check does not stop the others: one run shows
 * everything that is wrong.
 * @returns 0 when nothing failed, else 1
 */
export async function runDoctor(io: CliIo, options: DoctorOptions): Promise<number> {
  const tally: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  const report = (name: string, result: CheckResult, indent = '  '): void => {
    tally[result.verdict] += 1;
    io.out(`${indent}${LABEL[result.verdict]} ${name}: ${result.detail}`);
    if (result.hint && result.verdict !== 'pass') io.out(`${indent}${HINT_INDENT.slice(indent.length)}hint: ${result.hint}`);
  };

  io.out(`finauth doctor: ${options.config}`);
  let file: Record<string, unknown>;
  try {
    file = loadConfigFile(options.config);
  } catch (error) {
    report('config file', { verdict: 'fail', detail: describeError(error), hint: 'give the path of a JSON file holding { "providers": [...] }' }, '');
    return finish(io, tally);
  }
  const providers = file['providers'];
  if (!Array.isArray(providers) || providers.length === 0) {
    report('config file', { verdict: 'fail', detail: 'has no "providers" array, or it is empty', hint: 'see docs/getting-started.md for the file format' }, '');
    return finish(io, tally);
  }
  const { providers: _, baseDir, strategies: names, ...topLevel } = file;
  let strategies: StrategySource;
  try {
    strategies = await configStrategies(names, String(baseDir));
  } catch (error) {
    const detail = ConfigError.is(error) ? error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : describeError(error);
    report('config file', { verdict: 'fail', detail, hint: 'a strategy package named in "strategies" must be installed where the config file is (or the working directory) and export default its strategy function' }, '');
    return finish(io, tally);
  }
  report('config file', wholeFile(file, providers.length, strategies), '');

  for (const [index, raw] of providers.entries()) {
    const path = `providers[${index}]`;
    const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const id = typeof record['id'] === 'string' ? record['id'] : path;
    io.out('');
    io.out(`provider ${id} (${path}, strategy ${String(record['strategy'] ?? '?')})`);
    const provider: ProviderUnderCheck = { path, id, raw: record, baseDir: String(baseDir), options: topLevel, strategies, events: [] };
    const failed = new Set<string>();
    const notRun = new Set<string>();
    try {
      for (const check of DOCTOR_CHECKS) {
        const cause = check.needs?.find((name) => failed.has(name) || notRun.has(name));
        if (cause !== undefined) {
          notRun.add(check.name);
          report(check.name, { verdict: 'skip', detail: `not run: "${cause}" ${failed.has(cause) ? 'failed' : 'did not run'}` });
          continue;
        }
        io.progress?.(`  [....] ${check.name}`);
        let result: CheckResult;
        try {
          result = await check.run(provider);
        } catch (error) {
          // A check that throws is a doctor bug; still one line, and the run goes on.
          result = { verdict: 'fail', detail: describeError(error), hint: 'run with --verbose and report this' };
          if (options.verbose) io.err(errorStack(error) ?? '');
        }
        if (result.verdict === 'fail') failed.add(check.name);
        report(check.name, result);
      }
    } finally {
      await provider.finauth?.close();
    }
  }
  return finish(io, tally);
}

/**
 * The whole file through createFinauth, for what only shows across providers (duplicate ids,
 * top-level options). A provider's own mistakes are its "config valid" check's FAIL, not this one's.
 */
function wholeFile(file: Record<string, unknown>, count: number, strategies: StrategySource): CheckResult {
  try {
    const providers = (file['providers'] as unknown[]).map(withStandInSigner);
    void createFinauth({ ...(file as { providers: UncheckedProviderConfig[] }), providers: providers as UncheckedProviderConfig[], strategies: strategies() }).close();
    return { verdict: 'pass', detail: `${count} provider(s), valid` };
  } catch (error) {
    if (!ConfigError.is(error)) return { verdict: 'fail', detail: describeError(error), hint: 'run with --verbose and report this' };
    const acrossProviders = error.issues.filter((i) => !/^providers\[\d+\]/.test(i.path) || i.message.startsWith('duplicate provider id'));
    if (acrossProviders.length === 0) return { verdict: 'pass', detail: `${count} provider(s) read; each is checked below` };
    return { verdict: 'fail', detail: acrossProviders.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; '), hint: 'fix the top-level fields named (docs/getting-started.md lists them)' };
  }
}

/**
 * The provider with a signer declared by type (an HSM key) replaced by a stand-in that never
 * signs: the whole-file pass looks for mistakes across providers, and must not log in to the
 * token. A wrong PIN then costs one attempt (the "signer" check's), not two: tokens lock after a
 * few wrong PINs.
 */
function withStandInSigner(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const clientAuth = (raw as Record<string, unknown>)['clientAuth'];
  if (clientAuth === null || typeof clientAuth !== 'object' || !isSignerConfig((clientAuth as Record<string, unknown>)['signer'])) return raw;
  const alg = (clientAuth as Record<string, unknown>)['alg'];
  const standIn = { alg: typeof alg === 'string' ? alg : 'PS256', sign: () => Promise.reject(new Error('doctor: stand-in signer')) };
  return { ...raw, clientAuth: { ...clientAuth, signer: standIn } };
}

function finish(io: CliIo, tally: Record<Verdict, number>): number {
  io.out('');
  io.out(`doctor: ${tally.pass} passed, ${tally.warn} warned, ${tally.fail} failed, ${tally.skip} skipped`);
  return tally.fail > 0 ? 1 : 0;
}
