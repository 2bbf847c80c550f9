import { Command, CommanderError } from 'commander';
import { runToken } from './commands/runToken.js';
import { runDemo } from './demo/runDemo.js';
import { runDoctor } from './doctor/runDoctor.js';
import { runSandbox } from './sandbox/runSandbox.js';
import { processIo, type CliIo } from './io.js';
import { cliVersion } from './version.js';

interface GlobalOptions {
  verbose?: boolean;
}

/**
 * The `finauth` command line. Returns the exit code instead of exiting, so it runs in-process in
 * tests and `bin.ts` lets the process end on its own once every socket is closed.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('finauth')
    .description('OAuth 2.0 client credentials tokens from banks and API gateways')
    .version(cliVersion(), '-V, --version', 'print the version of @finauth/cli')
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('demo')
    .description('start the sandbox servers on 127.0.0.1, get a token through every strategy, call a protected resource with it, print a table')
    .action(async (_: unknown, cmd: Command) => {
      exitCode = await runDemo(io, { verbose: cmd.optsWithGlobals<GlobalOptions>().verbose === true });
    });

  program
    .command('sandbox')
    .description('start the sandbox servers on 127.0.0.1 and write a ready config that uses them; runs until Ctrl-C')
    .option('-o, --out <dir>', 'write the config and its PKI files here (kept) instead of a temporary folder (removed on exit)')
    .action(async (opts: { out?: string }, cmd: Command) => {
      exitCode = await runSandbox(io, { verbose: cmd.optsWithGlobals<GlobalOptions>().verbose === true, ...(opts.out === undefined ? {} : { out: opts.out }) });
    });

  program
    .command('token')
    .description('print the access token of a provider (or the whole AccessToken as JSON)')
    .argument('<providerId>', 'the provider id in the config file')
    .requiredOption('-c, --config <file>', 'JSON config file: { "providers": [...], "strategies"?: ["@acme/finauth-mybank"] }')
    .option('-s, --scope <scope>', 'space-separated scopes to request instead of the configured ones')
    .option('--json', 'print the AccessToken as JSON')
    .action(async (providerId: string, opts: { config: string; scope?: string; json?: boolean }, cmd: Command) => {
      const verbose = cmd.optsWithGlobals<GlobalOptions>().verbose === true;
      exitCode = await runToken(io, { providerId, config: opts.config, json: opts.json === true, verbose, ...(opts.scope === undefined ? {} : { scope: opts.scope }) });
    });

  program
    .command('doctor')
    .description('check every provider: config, files, key and certificate (match, expiry, strength), discovery, TLS, a live token')
    .requiredOption('-c, --config <file>', 'JSON config file: { "providers": [...] }')
    .action(async (opts: { config: string }, cmd: Command) => {
      exitCode = await runDoctor(io, { config: opts.config, verbose: cmd.optsWithGlobals<GlobalOptions>().verbose === true });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
