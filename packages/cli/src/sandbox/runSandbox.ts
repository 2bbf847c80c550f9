import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Sandbox } from '@finauth/sandbox';
import { describeError, errorStack } from '../describeError.js';
import type { CliIo } from '../io.js';
import { loadSandbox, sandboxMissing } from '../sandboxModule.js';
import { writeSandboxConfig } from './writeSandboxConfig.js';

export interface SandboxCommandOptions {
  /** Folder for the config and its PKI files (kept); default a temporary folder, removed on exit. */
  readonly out?: string;
  readonly verbose?: boolean;
  /** Resolves when the servers should stop; default SIGINT or SIGTERM. */
  readonly until?: Promise<unknown>;
}

/**
 * `finauth sandbox`: the demo's servers on 127.0.0.1 and a ready config that uses them, running
 * until Ctrl-C, so `finauth doctor` and `finauth token` (and your own code) can be tried against
 * real authorization servers without writing one.
 * @returns the exit code: 0 after a clean stop
 */
export async function runSandbox(io: CliIo, options: SandboxCommandOptions = {}): Promise<number> {
  const sandboxPackage = await loadSandbox();
  if (!sandboxPackage) {
    io.err(sandboxMissing('sandbox'));
    return 1;
  }
  const dir = options.out === undefined ? mkdtempSync(join(tmpdir(), 'finauth-sandbox-')) : resolve(options.out);
  let sb: Sandbox | undefined;
  try {
    sb = await sandboxPackage.startSandbox();
    const config = writeSandboxConfig(sb, dir);
    io.out('finauth sandbox: running on 127.0.0.1 until Ctrl-C');
    io.out(`  OFP-like FAPI 2.0 authorization server  ${sb.ofp.issuer}`);
    io.out(`  BNP-style API gateway                   ${sb.gateway.baseUrl}`);
    io.out(`  SNAP BI bank (Indonesia)                ${sb.snap.baseUrl}`);
    io.out(`  config                                  ${config}`);
    io.out('try:');
    io.out(`  finauth doctor --config ${config}`);
    io.out(`  finauth token ofp-private-key-jwt --config ${config}`);
    await (options.until ?? stopSignal());
    return 0;
  } catch (error) {
    io.err(`finauth sandbox: ${describeError(error)}`);
    if (options.verbose) io.err(errorStack(error) ?? '');
    return 1;
  } finally {
    await sb?.stop();
    if (options.out === undefined) rmSync(dir, { recursive: true, force: true });
    io.out(`finauth sandbox: servers stopped${options.out === undefined ? `, ${dir} removed` : `; ${dir} kept (its config points at stopped servers)`}.`);
  }
}

/** Ctrl-C or a termination request: either ends the sandbox the same clean way. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
