/**
 * Where the CLI writes. Commands take it as a parameter, so tests run them in-process and read
 * exactly what a user would see, without patching process.stdout.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** True when `out` is a terminal: progress lines may then be rewritten in place. */
  readonly interactive: boolean;
  /** Shows what is running now, to be replaced by the next `out` line (terminals only). */
  progress?(text: string): void;
}

const CLEAR_LINE = '\x1b[2K\r';

const tty = process.stdout.isTTY === true;

export const processIo: CliIo = {
  out: (line) => void process.stdout.write(tty ? `${CLEAR_LINE}${line}\n` : `${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  interactive: tty,
  progress: (text) => void (tty && process.stdout.write(`${CLEAR_LINE}${text}`)),
};

/** Collects lines in memory (tests, and `--json` callers that want the output whole). */
export function memoryIo(): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), interactive: false };
}
