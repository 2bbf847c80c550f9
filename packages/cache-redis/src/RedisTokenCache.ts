import { randomBytes } from 'node:crypto';
import { SingleFlight } from '@finauth/core/internal';
import { MemoryTokenCache, type CachedToken, type Logger, type Telemetry, type TelemetryEvent, type TokenCache } from '@finauth/core';
import { createClient, type RedisClientOptions } from 'redis';
import { decodeEntry, encodeEntry, type Decoded } from './entryCodec.js';
import { RELEASE_LEASE, RENEW_LEASE, STORE_AND_RELEASE } from './leaseScripts.js';
import { readyChannel, redisKeys, type RedisKeys } from './redisKeys.js';
import { describeRedisError, RedisUnavailable } from './RedisUnavailable.js';
import type { CacheSettings } from './resolveSettings.js';

type Client = ReturnType<typeof createClient>;

/** Services the cache reports through; functions so the container's logger can be looked up late. */
export interface CacheReporting {
  readonly logger: () => Logger;
  readonly telemetry: () => Telemetry;
}

/** How many times waiters take over a vanished lease before fetching without coordination. */
const MAX_TAKEOVERS = 3;
/** `seen` remembers this many keys, then starts over (keys come from callers' scope strings). */
const SEEN_LIMIT = 10_000;
/** Telemetry events of the cache concern every provider at once. */
const ALL_PROVIDERS = '*';

/**
 * A TokenCache on Redis shared by every process of a service: encrypted entries with TTL, a
 * cross-process single flight (a lease per key), and an in-process fallback whenever Redis does not
 * answer within the command timeout.
 */
export class RedisTokenCache implements TokenCache {
  private readonly client: Client;
  private readonly subscriber: Client;
  private readonly memory = new MemoryTokenCache();
  private readonly localFlights = new SingleFlight<CachedToken>();
  /** The version of the entry this process last read per key (null: none): tells a new entry from the one we already judged due. */
  private readonly seen = new Map<string, string | null>();
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly closing = new AbortController();
  private readonly channel: string;
  private readonly redactions: string[];
  private degraded = false;
  private subscribed = false;
  private probing = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  /** Set by the client's first `ready`: from then on a command gets `commandTimeoutMs`, nothing more. */
  private everReady = false;
  /** Until the first connection is made, a command may also wait for it until this time (creation + connect timeout). */
  private readonly firstConnectBy: number;

  constructor(
    private readonly settings: CacheSettings,
    clientOptions: RedisClientOptions,
    private readonly reporting: CacheReporting,
  ) {
    this.channel = readyChannel(settings.keyPrefix);
    this.redactions = [clientOptions.password, safePassword(clientOptions.url)].filter((s): s is string => typeof s === 'string' && s !== '');
    const bounded = boundedClientOptions(clientOptions, settings);
    this.firstConnectBy = Date.now() + connectTimeoutOf(bounded);
    this.client = createClient(bounded) as Client;
    this.subscriber = this.client.duplicate() as Client;
    this.client.on('error', (error: unknown) => this.onClientError(error));
    this.subscriber.on('error', () => undefined); // the command client reports outages; this one only wakes waiters early
    this.client.on('ready', () => {
      this.everReady = true;
      if (this.degraded) void this.probe();
    });
    this.subscriber.on('ready', () => void this.subscribe());
    // Connect in the background: a Redis that is down at start is a degraded cache, not a failed createFinauth.
    this.client.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
  }

  /** True while Redis is bypassed and tokens live in this process only. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  get(key: string): CachedToken | undefined | Promise<CachedToken | undefined> {
    if (this.degraded || this.closing.signal.aborted) return this.memory.get(key);
    return this.read(key).catch((error: unknown) => {
      this.degrade(error);
      return this.memory.get(key);
    });
  }

  async set(key: string, entry: CachedToken): Promise<void> {
    this.memory.set(key, entry);
    if (this.degraded) return;
    const keys = redisKeys(this.settings.keyPrefix, key);
    const ttl = Math.floor(entry.refreshAt - Date.now());
    if (ttl <= 0) return;
    const { value, version } = encodeEntry(entry, keys.token, this.settings.keys);
    try {
      await this.command((c) => c.set(keys.token, value, { expiration: { type: 'PX', value: ttl } }));
      this.remember(key, version);
    } catch (error) {
      this.degrade(error);
    }
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    if (this.degraded) return;
    try {
      await this.command((c) => c.del(redisKeys(this.settings.keyPrefix, key).token));
    } catch (error) {
      this.degrade(error);
    }
  }

  /**
   * Cross-process single flight: one process (the lease holder) runs `fetch`, the others wait for
   * its entry. Falls back to fetching in this process when Redis does not answer.
   */
  async coordinate(key: string, fetch: () => Promise<CachedToken>, signal: AbortSignal): Promise<CachedToken> {
    if (this.degraded || this.closing.signal.aborted) return this.fetchLocally(key, fetch);
    const keys = redisKeys(this.settings.keyPrefix, key);
    try {
      return await this.coordinateThroughRedis(key, keys, fetch, signal);
    } catch (error) {
      // Only raised before `fetch` ran: the holder handles its own store failure (fetchAsHolder).
      if (!(error instanceof RedisUnavailable)) throw error;
      this.degrade(error);
      return this.fetchLocally(key, fetch);
    }
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new Error('the token cache is closed'));
    if (this.probeTimer) clearInterval(this.probeTimer);
    for (const set of this.wakers.values()) for (const wake of set) wake();
    this.wakers.clear();
    await Promise.allSettled([shutDown(this.client, this.settings.commandTimeoutMs), shutDown(this.subscriber, this.settings.commandTimeoutMs)]);
    this.memory.close();
  }

  private async read(key: string): Promise<CachedToken | undefined> {
    const keys = redisKeys(this.settings.keyPrefix, key);
    const decoded = await this.readEntry(keys);
    if (decoded === undefined) {
      this.remember(key, null);
      return this.writeBack(key, keys);
    }
    if (!decoded.ok) {
      this.remember(key, `unusable:${decoded.version ?? ''}`);
      return undefined;
    }
    this.remember(key, decoded.version);
    this.memory.set(key, decoded.entry);
    return decoded.entry;
  }

  /** After Redis lost an entry (a restart) this process may still hold a good one: share it again. */
  private writeBack(key: string, keys: RedisKeys): CachedToken | undefined {
    const local = this.memory.get(key);
    if (!local) return undefined;
    const ttl = Math.floor(local.refreshAt - Date.now());
    if (ttl <= 0) return undefined;
    const { value } = encodeEntry(local, keys.token, this.settings.keys);
    this.command((c) => c.set(keys.token, value, { condition: 'NX', expiration: { type: 'PX', value: ttl } })).catch((error: unknown) => this.degrade(error));
    return local;
  }

  /** The stored entry for `keys`, decoded; undefined when there is none. Reports an entry it cannot use. */
  private async readEntry(keys: RedisKeys): Promise<Decoded | undefined> {
    const value = await this.command((c) => c.get(keys.token));
    if (value === null) return undefined;
    const decoded = decodeEntry(value, keys.token, this.settings.keys);
    if (!decoded.ok) {
      // Never the value or a key: the key id and what went wrong are enough to act on.
      this.reporting.logger().warn('shared token cache entry cannot be used; ignoring it and fetching a new token', { reason: decoded.reason, keyId: decoded.keyId });
      this.emit({ name: 'cache.undecryptable', providerId: ALL_PROVIDERS, attributes: { reason: decoded.reason } });
    }
    return decoded;
  }

  private async coordinateThroughRedis(key: string, keys: RedisKeys, fetch: () => Promise<CachedToken>, signal: AbortSignal): Promise<CachedToken> {
    if (!this.seen.has(key)) {
      // Called without a read first (forceRefresh): what is stored now is what the caller wants replaced.
      const current = await this.readEntry(keys);
      this.remember(key, current === undefined ? null : (current.version ?? null));
    }
    const baseline = this.seen.get(key) ?? null;
    for (let round = 0; round <= MAX_TAKEOVERS; round++) {
      if (signal.aborted) throw signal.reason;
      const owner = randomBytes(16).toString('base64url');
      const won = (await this.command((c) => c.set(keys.lease, owner, { condition: 'NX', expiration: { type: 'PX', value: this.settings.leaseMs } }))) === 'OK';
      if (won) return this.fetchAsHolder(key, keys, owner, baseline, fetch);
      const started = Date.now();
      const entry = await this.awaitHolder(keys, baseline, signal);
      if (entry) {
        this.memory.set(key, entry.entry);
        this.remember(key, entry.version);
        this.emit({ name: 'token.shared_wait', providerId: entry.entry.token.providerId, durationMs: Date.now() - started });
        return entry.entry;
      }
      this.reporting.logger().info('shared token cache: the fetch lease ended without a token; taking over', { round: round + 1 });
    }
    this.reporting.logger().warn('shared token cache: no process completed the fetch; fetching without coordination');
    return this.fetchLocally(key, fetch);
  }

  private async fetchAsHolder(key: string, keys: RedisKeys, owner: string, baseline: string | null, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    // An entry stored between this process's read and its lease is the fresh token it was about to fetch.
    const current = await this.readEntry(keys).catch(() => undefined);
    if (current?.ok && current.version !== baseline && current.entry.refreshAt > Date.now()) {
      await this.command((c) => c.eval(RELEASE_LEASE, { keys: [keys.lease], arguments: [owner] })).catch(() => undefined);
      this.memory.set(key, current.entry);
      this.remember(key, current.version);
      return current.entry;
    }
    const renewal = setInterval(() => {
      this.command((c) => c.eval(RENEW_LEASE, { keys: [keys.lease], arguments: [owner, String(this.settings.leaseMs)] })).catch(() => undefined);
    }, Math.max(50, Math.floor(this.settings.leaseMs / 3)));
    renewal.unref();
    let entry: CachedToken;
    try {
      entry = await fetch();
    } catch (error) {
      clearInterval(renewal);
      // Free the lease at once so a waiter takes over now rather than when it expires.
      await this.command((c) => c.eval(RELEASE_LEASE, { keys: [keys.lease], arguments: [owner] })).catch(() => undefined);
      throw error;
    }
    clearInterval(renewal);
    this.memory.set(key, entry);
    const ttl = Math.floor(entry.refreshAt - Date.now());
    const { value, version } = encodeEntry(entry, keys.token, this.settings.keys);
    try {
      if (ttl > 0) {
        await this.command((c) => c.eval(STORE_AND_RELEASE, { keys: [keys.token, keys.lease], arguments: [value, String(ttl), owner, this.channel, keys.slot] }));
        this.remember(key, version);
      } else {
        await this.command((c) => c.eval(RELEASE_LEASE, { keys: [keys.lease], arguments: [owner] }));
      }
    } catch (error) {
      // The token is good: hand it out; the waiters take over when the lease expires.
      this.degrade(error);
    }
    return entry;
  }

  /**
   * Waits for the lease holder's entry: woken by pub/sub, else polling with jitter. Undefined when
   * the lease is gone without a new entry (the holder failed or died): the caller takes over.
   */
  private async awaitHolder(keys: RedisKeys, baseline: string | null, signal: AbortSignal): Promise<{ entry: CachedToken; version: string } | undefined> {
    for (;;) {
      await this.pause(keys.slot, signal);
      const decoded = await this.readEntry(keys);
      if (decoded?.ok && decoded.version !== baseline && decoded.entry.refreshAt > Date.now()) return { entry: decoded.entry, version: decoded.version };
      const leased = await this.command((c) => c.exists(keys.lease));
      if (leased === 0) return undefined;
    }
  }

  /** Resolves on a pub/sub message for `slot`, after a jittered poll interval, or on close; rejects when `signal` aborts. */
  private pause(slot: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.closing.signal.aborted) return Promise.reject(this.closing.signal.reason);
    const base = this.settings.pollIntervalMs;
    const delay = base / 2 + Math.random() * base; // jitter: waiters of many processes do not poll in step
    return new Promise<void>((resolve, reject) => {
      let set = this.wakers.get(slot);
      if (!set) this.wakers.set(slot, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.wakers.get(slot) === set) this.wakers.delete(slot);
      };
      const wake = (): void => {
        done();
        if (this.closing.signal.aborted) reject(this.closing.signal.reason);
        else resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      const timer = setTimeout(wake, delay);
      set.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private fetchLocally(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    return this.localFlights.run(key, async () => {
      const entry = await fetch();
      this.memory.set(key, entry);
      return entry;
    });
  }

  /**
   * Runs one Redis command within the command timeout; past it, or on any error, RedisUnavailable.
   * A client that is not connected yet gets that budget to connect, except while its first
   * connection is being made: see `budget()`.
   */
  private async command<T>(run: (client: Client) => Promise<T>): Promise<T> {
    if (this.closing.signal.aborted) throw new RedisUnavailable('the cache is closed');
    const budget = this.budget();
    let timer: NodeJS.Timeout | undefined;
    let verdict: NodeJS.Immediate | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // Timers run before the event loop reads its sockets: after a stall of this process (a GC
      // pause, a starved CPU on a loaded host) the timer would fire with Redis's answer already
      // waiting unread. The verdict waits for the loop's next I/O phase (setImmediate runs after
      // it), so it is Redis's lateness that degrades the cache, not this process's.
      timer = setTimeout(() => {
        verdict = setImmediate(() => reject(new RedisUnavailable(`no answer within ${budget} ms`)));
      }, budget);
    });
    try {
      const work = (async () => {
        if (!this.client.isReady) await this.readyOrThrow();
        return run(this.client);
      })();
      work.catch(() => undefined); // a late rejection after the timeout is expected, not unhandled
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw error instanceof RedisUnavailable ? error : new RedisUnavailable(describeRedisError(error, this.redactions));
    } finally {
      clearTimeout(timer);
      clearImmediate(verdict);
    }
  }

  /**
   * The time a command may take. Once the client has been ready: `commandTimeoutMs`. Before that,
   * the first connection (TCP, TLS, HELLO/AUTH) is still being made right after creation, which is
   * not Redis failing to answer: a command issued then also waits for it, until the connect timeout
   * after creation. Counting the connection against the 500 ms of the first command made a service
   * that asks for a token right at start (a replica starting, a loaded host) declare a healthy
   * Redis degraded and fetch a token of its own instead of sharing one. A Redis that is down still
   * costs nothing extra: a refused or failed connection ends the wait at once (readyOrThrow).
   */
  private budget(): number {
    const { commandTimeoutMs } = this.settings;
    if (this.everReady) return commandTimeoutMs;
    return commandTimeoutMs + Math.max(0, this.firstConnectBy - Date.now());
  }

  /**
   * Waits for the client's next `ready` (one shared listener pair, however many callers), but not
   * while degraded: then Redis is known to be away. A connection error ends the wait at once (the
   * client reports each failed attempt); otherwise callers are bounded by their command budget.
   */
  private readyOrThrow(): Promise<void> {
    if (this.degraded) return Promise.reject(new RedisUnavailable('not connected'));
    this.connecting ??= new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        this.client.off('error', onError);
        this.connecting = undefined;
        resolve();
      };
      const onError = (error: unknown): void => {
        this.client.off('ready', onReady);
        this.connecting = undefined;
        reject(new RedisUnavailable(describeRedisError(error, this.redactions)));
      };
      this.client.once('ready', onReady);
      this.client.once('error', onError);
    });
    return this.connecting;
  }

  private remember(key: string, version: string | null): void {
    if (this.seen.size >= SEEN_LIMIT && !this.seen.has(key)) this.seen.clear();
    this.seen.set(key, version);
  }

  private degrade(error: unknown): void {
    if (this.degraded || this.closing.signal.aborted) return;
    this.degraded = true;
    this.reporting.logger().warn('shared token cache degraded: Redis does not answer; using the in-process cache and single flight', { reason: describeRedisError(error, this.redactions) });
    this.emit({ name: 'cache.degraded', providerId: ALL_PROVIDERS, attributes: { reason: describeRedisError(error, this.redactions) } });
    this.probeTimer = setInterval(() => void this.probe(), this.settings.probeIntervalMs);
    this.probeTimer.unref();
  }

  /** While degraded: a PING that answers in time ends the degradation. */
  private async probe(): Promise<void> {
    if (!this.degraded || this.probing || !this.client.isReady || this.closing.signal.aborted) return;
    this.probing = true;
    try {
      await this.command((c) => c.ping());
      this.degraded = false;
      if (this.probeTimer) clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.reporting.logger().info('shared token cache recovered: Redis answers again; sharing tokens across processes');
      this.emit({ name: 'cache.recovered', providerId: ALL_PROVIDERS });
      void this.subscribe();
    } catch {
      // still away: the next probe tries again
    } finally {
      this.probing = false;
    }
  }

  private async subscribe(): Promise<void> {
    if (this.subscribed || this.closing.signal.aborted) return;
    this.subscribed = true;
    try {
      // node-redis re-subscribes by itself after a reconnect: subscribe once.
      await this.subscriber.subscribe(this.channel, (slot: string) => {
        const set = this.wakers.get(slot);
        if (set) for (const wake of [...set]) wake();
      });
    } catch {
      this.subscribed = false; // polling still works; try again on the next `ready`
    }
  }

  private onClientError(error: unknown): void {
    // The client emits an error per failed reconnect: report the outage once, through degrade().
    this.degrade(error);
  }

  private emit(event: TelemetryEvent): void {
    try {
      this.reporting.telemetry().emit(event);
    } catch {
      // Telemetry must never break token acquisition.
    }
  }
}

/**
 * The client options finauth needs for "nothing hangs": commands fail at once while disconnected
 * (no offline queue), reconnects back off to 2 s, connecting is bounded.
 */
function boundedClientOptions(options: RedisClientOptions, settings: CacheSettings): RedisClientOptions {
  const socket = { ...(options.socket ?? {}) } as NonNullable<RedisClientOptions['socket']> & Record<string, unknown>;
  if (socket.reconnectStrategy === undefined) socket.reconnectStrategy = (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000) + Math.floor(Math.random() * 100);
  if (socket.connectTimeout === undefined) socket.connectTimeout = Math.max(1000, settings.commandTimeoutMs * 2);
  return { ...options, socket, disableOfflineQueue: true };
}

/** The connect timeout the client was given (boundedClientOptions sets one unless the caller did). */
function connectTimeoutOf(options: RedisClientOptions): number {
  const timeout = (options.socket as { connectTimeout?: unknown } | undefined)?.connectTimeout;
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : 0;
}

/** QUIT politely within the timeout, then drop the sockets and reconnect timers: the process can exit. */
async function shutDown(client: Client, timeoutMs: number): Promise<void> {
  try {
    if (client.isReady) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([client.close(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]).finally(() => clearTimeout(timer));
    }
  } catch {
    // Closing a broken connection fails; destroy() below still frees everything.
  }
  try {
    if (client.isOpen) client.destroy();
  } catch {
    // already closed
  }
}

function safePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
