import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

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
  /** Milliseconds from "closing" to the process's exit, as this process sees it (includes OS teardown and scheduling). */
  exitAfterClosing(): Promise<number>;
  /** From closing to the child's event loop being empty, as the child measured it (after it exited). */
  drain(): Promise<Drain>;
}

/**
 * The child's own account of its closing. wallMs: closing → event loop empty. cpuMs/queuedMs (null
 * off Linux): of that, its main thread ran, and was runnable but waiting for a CPU other processes had.
 */
export interface Drain {
  readonly wallMs: number;
  readonly cpuMs: number | null;
  readonly queuedMs: number | null;
}

const SCRIPT = fileURLToPath(new URL('../children/finauthChild.js', import.meta.url));

export function forkChild(settings: Record<string, unknown>): FinauthChild {
  const exitReport = join(tmpdir(), `finauth-exit-${randomBytes(6).toString('hex')}`);
  const child = fork(SCRIPT, [], { env: { ...process.env, FINAUTH_CHILD: JSON.stringify({ ...settings, exitReport }) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    drain: async () => {
      await exited;
      try {
        return JSON.parse(readFileSync(exitReport, 'utf8')) as Drain;
      } catch {
        throw new Error('the child wrote no exit report (it did not reach closing, or it was killed)');
      }
      finally {
        rmSync(exitReport, { force: true });
      }
    },
  };
}

/** Resolves with `promise`, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * The child, told to close (or failing createFinauth), exits on its own with code 0, and within 1 s
 * of closing nothing held it: no socket, timer or handle of finauth.
 *
 * Measured inside the child: from closing to its 'exit' event (fired when its event loop is empty),
 * less the time its main thread was runnable but another process had the CPU (Linux schedstat).
 * What is left is what the child itself spent, running or waiting on something: a timer or socket
 * close() forgot shows there in full, whatever the machine's load. Not "closing received → exit
 * seen" from here: that adds the OS tearing the process down and this process noticing, which on a
 * busy 2-core runner read 1.4-2.8 s for children whose loop had emptied in 2-956 ms of wall time.
 * A child that never empties its loop never exits: `exitWaitMs` catches that.
 */
export async function exitsWithinASecond(c: FinauthChild, exitWaitMs = 30_000): Promise<void> {
  await within(c.closing, 120_000, 'child started and closing'); // starting a child is slow on a busy runner: not timed
  const seen = await within(c.exitAfterClosing(), exitWaitMs, 'exit after close()');
  expect(await c.exited, 'exit code').to.equal(0);
  const drain = await c.drain();
  const own = drain.wallMs - (drain.queuedMs ?? 0);
  if (seen - own > 1000 || (drain.queuedMs ?? 0) > 500) {
    console.log(`      (child's loop empty ${drain.wallMs} ms after closing, ${drain.queuedMs} ms of it waiting for a CPU, ${drain.cpuMs} ms running; its exit seen here ${seen} ms after)`);
  }
  expect(own, `the child's loop held ${own} ms after close() (${drain.wallMs} ms wall, ${drain.queuedMs} ms waiting for a CPU)`).to.be.below(1000);
}
