import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  readonly tokens: string[];
  readonly errors: string[];
  readonly degraded: boolean;
}

/** A finauth child process (test/children/finauthChild.ts, compiled) driven over IPC. */
export interface FinauthChild {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  readonly result: Promise<ChildResult>;
  /** Exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  go(): void;
}

const SCRIPT = fileURLToPath(new URL('../children/finauthChild.js', import.meta.url));

export function forkChild(settings: Record<string, unknown>): FinauthChild {
  const child = fork(SCRIPT, [], { env: { ...process.env, FINAUTH_CHILD: JSON.stringify(settings) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve());
    void exited.then((code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.on('message', (m: { type?: string } & ChildResult) => m?.type === 'result' && resolve(m));
    void exited.then((code) => reject(new Error(`child exited (${code}) without a result`)));
  });
  result.catch(() => undefined);
  ready.catch(() => undefined);
  return { process: child, ready, result, exited, go: () => child.send('go') };
}

/** Resolves with `promise`, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
