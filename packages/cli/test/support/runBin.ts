import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/finauth.js', import.meta.url));

/**
 * Runs `finauth` as a separate process, asynchronously: the sandbox serving it lives in this
 * process, so a synchronous spawn would block the servers it talks to. A process that does not
 * exit on its own is killed at `timeoutMs` and reported with its signal.
 */
export function runBin(args: readonly string[], timeoutMs = 20_000): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}
