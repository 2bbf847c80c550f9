import type { ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { freePort, launchRedis, RedisStartError } from './redisServer.js';

/** One redis-server (data node or sentinel) a test started: it can be paused, killed or stopped. */
export class RedisProcess {
  constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private stopped = false;

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Alive and not paused: it answers. */
  get answering(): boolean {
    return this.alive && !this.stopped;
  }

  /** SIGSTOP: keeps its sockets, answers nothing (a hung node). */
  pause(): void {
    this.stopped = true;
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.stopped = false;
    this.child.kill('SIGCONT');
  }

  /** SIGKILL, as a crashed machine: nothing flushed, sockets reset. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (after SIGCONT), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGCONT');
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      this.child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }

  /** Runs one command on a short-lived connection (setup and checks only). */
  async ask(args: string[]): Promise<unknown> {
    const client = createClient({ socket: { host: '127.0.0.1', port: this.port, reconnectStrategy: false, connectTimeout: 5000 } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await client.sendCommand(args);
    } finally {
      client.destroy();
    }
  }
}

/** Polls `check` every 50 ms until it is true; rejects after `timeoutMs` naming `what`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts redis-server on a free port; `args(port)` builds its command line (and may write its
 * config). freePort() only says the port was free a moment ago: when another process binds it
 * first, a new port is tried (up to 5 times).
 */
export async function launchOnFreePort(args: (port: number) => string[], readyMarker: string, taken: Set<number>): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    if (taken.has(port)) continue;
    taken.add(port);
    try {
      return new RedisProcess(port, await launchRedis(args(port), readyMarker));
    } catch (error) {
      if (!(error instanceof RedisStartError && error.portTaken) || attempt >= 5) throw error;
    }
  }
}
