import { setMaxListeners } from 'node:events';
import { describeRedisError, RedisUnavailable } from '../RedisUnavailable.js';
import type { RedisKeys } from '../redisKeys.js';
import type { Connection, Deployment, PublishTarget } from './Connection.js';
import type { RedisCommands } from './RedisCommands.js';

/** Rebuild back-off: 50 ms doubling to 1 s, plus jitter, so a failover's successor is found within about a second. */
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 1000;
/** After a successful rebuild, the next one waits at least this long (a stream of timeouts rebuilds once, not per command). */
const MIN_REBUILD_INTERVAL_MS = 1000;

export interface LinkSettings {
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/**
 * The cache's way to Redis, whatever the deployment: runs a command on the current generation of
 * connections within the command timeout, and builds a new generation (on its own timer) when the
 * current one breaks or, on Cluster and Sentinel, stops answering. Commands never queue while
 * disconnected; `close()` aborts every generation's signal, which destroys every socket at once.
 */
export class RedisLink {
  private readonly closing = new AbortController();
  private current: { connection: Connection; signal: AbortController } | undefined;
  private attempt: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastBuiltAt = 0;
  /** One promise shared by every command waiting for the first (or next) generation. */
  private next: { promise: Promise<Connection | undefined>; resolve: () => void } | undefined;
  private readonly watched = new Map<string, number>();
  private readonly readyListeners: (() => void)[] = [];
  private readonly brokenListeners: (() => void)[] = [];

  constructor(
    private readonly deployment: Deployment,
    private readonly settings: LinkSettings,
    private readonly onMessage: (slot: string) => void,
  ) {
    // Every socket of every generation listens to its generation's signal, which listens to this one.
    setMaxListeners(0, this.closing.signal);
    this.rebuild();
  }

  get kind(): Deployment['kind'] {
    return this.deployment.kind;
  }

  get secrets(): readonly string[] {
    return this.deployment.secrets;
  }

  /** Where the store script publishes the wake-up for `keys`. */
  publishTarget(keys: RedisKeys): PublishTarget {
    return this.deployment.publishTarget(keys);
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Called when the connection in service loses a node (before any command notices). */
  onBroken(listener: () => void): void {
    this.brokenListeners.push(listener);
  }

  /** Called after each new generation is in service. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  /**
   * Runs one command within the command timeout. Without a connection it waits for the one being
   * built, within the same budget (unless `wait` is false: the cache knows Redis is away).
   */
  async command<T>(run: (commands: RedisCommands) => Promise<T>, wait = true): Promise<T> {
    if (this.closed) throw new RedisUnavailable('the cache is closed');
    let connection = this.current?.connection;
    if (!connection && wait) connection = await this.nextConnection();
    if (!connection) throw new RedisUnavailable('not connected');
    const budget = this.settings.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let verdict: NodeJS.Immediate | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      // Timers run before the event loop reads its sockets: after a stall of this process (a GC
      // pause, a starved CPU on a loaded host) the timer would fire with Redis's answer already
      // waiting unread. The verdict waits for the loop's next I/O phase (setImmediate runs after
      // it), so it is Redis's lateness that counts as a timeout, not this process's.
      timer = setTimeout(() => {
        verdict = setImmediate(() => {
          timedOut = true;
          reject(new RedisUnavailable(`no answer within ${budget} ms`));
        });
      }, budget);
    });
    try {
      const work = run(connection.commands);
      work.catch(() => undefined); // a late rejection after the timeout is expected, not unhandled
      return await Promise.race([work, timeout]);
    } catch (error) {
      this.suspect(timedOut ? 'timeout' : error);
      throw error instanceof RedisUnavailable ? error : new RedisUnavailable(describeRedisError(error, this.secrets));
    } finally {
      clearTimeout(timer);
      clearImmediate(verdict);
    }
  }

  /** Resolves when every data node answers PING within the command timeout. */
  async probe(): Promise<void> {
    await this.command(async () => {
      const connection = this.current?.connection;
      if (!connection) throw new RedisUnavailable('not connected');
      await connection.probe();
    }, false);
  }

  /** Wake-ups for `slot` while someone waits on it (counted: many waiters, one subscription). */
  watch(slot: string): void {
    const count = this.watched.get(slot) ?? 0;
    this.watched.set(slot, count + 1);
    if (count === 0) this.current?.connection.watch(slot);
  }

  unwatch(slot: string): void {
    const count = this.watched.get(slot) ?? 0;
    if (count <= 1) {
      this.watched.delete(slot);
      if (count === 1) this.current?.connection.unwatch(slot);
    } else {
      this.watched.set(slot, count - 1);
    }
  }

  /** Ends every socket and timer now; pending commands reject. */
  close(): void {
    if (this.closed) return;
    this.closing.abort(new Error('the token cache is closed'));
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.current = undefined;
    this.wakeWaiters();
  }

  /** A command failed: rebuild when the connection is broken or, where that finds a successor, hangs. */
  private suspect(reason: unknown): void {
    if (this.closed || !this.current) return;
    const broken = !this.current.connection.healthy() || (reason === 'timeout' ? this.deployment.rebuildOnTimeout : isTopologyError(reason));
    if (broken) this.rebuild();
  }

  private rebuild(): void {
    if (this.closed || this.attempt || this.retryTimer) return;
    const sinceLast = Date.now() - this.lastBuiltAt;
    if (this.current && sinceLast < MIN_REBUILD_INTERVAL_MS) {
      this.schedule(MIN_REBUILD_INTERVAL_MS - sinceLast);
      return;
    }
    this.attempt = this.build().finally(() => {
      this.attempt = undefined;
    });
  }

  private schedule(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.rebuild();
    }, delayMs);
    this.retryTimer.unref();
  }

  private async build(): Promise<void> {
    const generation = new AbortController();
    setMaxListeners(0, generation.signal);
    const abort = (): void => generation.abort(this.closing.signal.reason);
    this.closing.signal.addEventListener('abort', abort, { once: true });
    generation.signal.addEventListener('abort', () => this.closing.signal.removeEventListener('abort', abort), { once: true });
    // A connect that does not finish in time (a paused server accepts TCP and never answers) is
    // abandoned. Several steps (Sentinel: ask, connect, ROLE; Cluster: discover, connect each master).
    const deadline = setTimeout(() => generation.abort(new RedisUnavailable('connect timed out')), this.settings.connectTimeoutMs * 3);
    deadline.unref();
    let connection: Connection;
    try {
      const aborted = new Promise<never>((_, reject) => {
        const fail = (): void => reject(generation.signal.reason instanceof Error ? generation.signal.reason : new Error('aborted'));
        if (generation.signal.aborted) fail();
        else generation.signal.addEventListener('abort', fail, { once: true });
      });
      aborted.catch(() => undefined);
      connection = await Promise.race([
        this.deployment.connect(generation.signal, {
          message: (slot) => this.onMessage(slot),
          broken: () => {
            if (this.current?.signal !== generation) return;
            for (const listener of this.brokenListeners) listener();
            this.rebuild();
          },
        }),
        aborted,
      ]);
    } catch {
      generation.abort(new RedisUnavailable('connect failed'));
      clearTimeout(deadline);
      this.wakeWaiters();
      if (this.closed) return;
      const delay = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(this.failures, 10), BACKOFF_CAP_MS) + Math.floor(Math.random() * 50);
      this.failures++;
      this.schedule(delay);
      return;
    }
    clearTimeout(deadline);
    if (this.closed) {
      generation.abort(this.closing.signal.reason);
      return;
    }
    const previous = this.current;
    this.current = { connection, signal: generation };
    this.failures = 0;
    this.lastBuiltAt = Date.now();
    for (const slot of this.watched.keys()) connection.watch(slot);
    if (previous) {
      // Commands already sent on the old generation get their command timeout to finish, then its sockets go.
      const retire = setTimeout(() => previous.signal.abort(new RedisUnavailable('replaced')), this.settings.commandTimeoutMs);
      retire.unref();
      previous.signal.signal.addEventListener('abort', () => clearTimeout(retire), { once: true });
    }
    this.wakeWaiters();
    for (const listener of this.readyListeners) listener();
  }

  /**
   * The connection being made, when one is (its connect deadline bounds the wait); undefined at once
   * when the last attempt failed and the next waits for its back-off: Redis is known to be away.
   */
  private nextConnection(): Promise<Connection | undefined> {
    this.rebuild();
    if (!this.attempt) return Promise.resolve(this.current?.connection);
    if (!this.next) {
      let resolve!: () => void;
      const promise = new Promise<Connection | undefined>((r) => (resolve = () => r(this.current?.connection)));
      this.next = { promise, resolve };
    }
    return this.next.promise;
  }

  private wakeWaiters(): void {
    const next = this.next;
    this.next = undefined;
    next?.resolve();
  }
}

/** Replies that mean the topology changed under us: only a new discovery helps. */
function isTopologyError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /^(READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|LOADING)\b/.test(message) || /ClientClosedError|The client is closed|Cannot find node|Cluster closed/.test(`${error instanceof Error ? error.name : ''} ${message}`);
}
