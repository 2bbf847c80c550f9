import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  readonly tokens: string[];
  /** Distinct tokens each scope's callers got ('' for the provider's default scope). */
  readonly tokensByScope: Record<string, string[]>;
  readonly errors: string[];
  readonly degraded: boolean;
}

/** A finauth child process (test/children/finauthChild.ts, compiled) driven over IPC. */
export interface FinauthChild {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  /** The first round's result. */
  readonly result: Promise<ChildResult>;
  /** Resolves when the child says it starts closing (or that createFinauth threw). */
  readonly closing: Promise<void>;
  /** Exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  go(scopes?: string[]): void;
  /** The next round's result (after go()). */
  nextResult(): Promise<ChildResult>;
  status(): Promise<string>;
  close(options?: { inflight?: boolean }): void;
  /** Milliseconds from "closing" to the process's exit. */
  exitAfterClosing(): Promise<number>;
}

const SCRIPT = fileURLToPath(new URL('../children/finauthChild.js', import.meta.url));

export function forkChild(settings: Record<string, unknown>): FinauthChild {
  const child = fork(SCRIPT, [], { env: { ...process.env, FINAUTH_CHILD: JSON.stringify(settings) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exitedAt = 0;
  let closingAt = 0;
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => {
    exitedAt = Date.now();
    resolve(code ?? signal ?? 'unknown');
  }));
  const message = <T>(type: string): Promise<T> => new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type?: string } & T): void => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    void exited.then((code) => reject(new Error(`child exited (${code}) before "${type}"`)));
  });
  const ready = message<unknown>('ready').then(() => undefined);
  const result = message<ChildResult>('result');
  const closing = message<unknown>('closing').then(() => {
    closingAt = Date.now();
  });
  child.on('message', (m: { type?: string; message?: string }) => {
    if (m?.type === 'unexpected') process.stderr.write(`child: ${m.message}\n`);
  });
  for (const p of [ready, result, closing]) p.catch(() => undefined);
  return {
    process: child,
    ready,
    result,
    closing,
    exited,
    go: (scopes) => child.send(scopes ? { go: scopes } : 'go'),
    nextResult: () => message<ChildResult>('result'),
    status: () => {
      const answer = message<{ status: string }>('status').then((m) => m.status);
      child.send('status');
      return answer;
    },
    close: (options = {}) => child.send({ close: true, inflight: options.inflight === true }),
    exitAfterClosing: async () => {
      await closing;
      await exited;
      return exitedAt - closingAt;
    },
  };
}

/** Resolves with `promise`, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

let control: Promise<number> | undefined;

/**
 * The bound for "the child exits on its own within 1 s of close()": 1000 ms more than a control
 * child takes to exit — same modules, a finauth instance on the in-memory cache, no Redis —
 * measured once per run. On an idle runner the control takes a few tens of ms; on a runner busy
 * with other suites, process teardown alone can take hundreds, which is not close()'s doing.
 */
export function exitBudgetMs(settings: Record<string, unknown>): Promise<number> {
  control ??= (async () => {
    const c = forkChild({ ...settings, cache: 'memory', stayOpen: true, callers: 1 });
    await within(c.ready, 120_000, 'control child ready');
    c.close();
    const ms = await within(c.exitAfterClosing(), 30_000, 'control child exit');
    console.log(`      (control: a finauth process without Redis exits ${ms} ms after close(); bound ${1000 + ms} ms)`);
    return 1000 + ms;
  })();
  return control;
}
