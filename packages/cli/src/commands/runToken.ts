import { createFinauth, loadConfigFile, type Finauth } from '@finauth/core';
import { describeError, errorStack } from '../describeError.js';
import type { CliIo } from '../io.js';
import { configStrategies } from '../strategies.js';

export interface TokenCommandOptions {
  readonly providerId: string;
  readonly config: string;
  readonly scope?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/**
 * `finauth token`: the one place a token is meant to be printed — to stdout only, for a pipe or a
 * variable (`TOKEN=$(finauth token bnp --config finauth.json)`). Diagnostics go to stderr.
 * @returns the exit code
 */
export async function runToken(io: CliIo, options: TokenCommandOptions): Promise<number> {
  let finauth: Finauth | undefined;
  try {
    const file = loadConfigFile(options.config);
    const strategies = await configStrategies(file['strategies'], String(file.baseDir));
    finauth = createFinauth({ ...file, strategies: strategies() });
    const token = await finauth.getToken(options.providerId, options.scope === undefined ? {} : { scope: options.scope });
    io.out(options.json ? JSON.stringify(token, null, 2) : token.accessToken);
    return 0;
  } catch (error) {
    io.err(`finauth token: ${describeError(error)}`);
    if (options.verbose) io.err(errorStack(error) ?? '');
    return 1;
  } finally {
    await finauth?.close();
  }
}
