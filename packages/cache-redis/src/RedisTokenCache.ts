import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { inspect } from 'node:util';
import { SingleFlight } from '@finauth/core/internal';
import { MemoryTokenCache, type CachedToken, type Logger, type Telemetry, type TelemetryEvent, type TokenCache } from '@finauth/core';
import { decodeEntry, encodeEntry, type Decoded } from './entryCodec.js';
import { ACQUIRE_LEASE, RELEASE_LEASE, RENEW_LEASE, STORE_AND_RELEASE } from './leaseScripts.js';
import type { Deployment } from './link/Connection.js';
import type { RedisCommands } from './link/RedisCommands.js';
import { RedisLink } from './link/RedisLink.js';
import { redisKeys, type RedisKeys } from './redisKeys.js';
import { describeRedisError, RedisUnavailable } from './RedisUnavailable.js';
import type { CacheSettings } from './resolveSettings.js';

/** Services the cache reports through; functions so the container's logger can be looked up late. */
export interface CacheReporting {
  readonly logger: () => Logger;
  readonly telemetry: () => Telemetry;
}

/** How many times waiters take over a vanished lease before fetching without coordination. */
const MAX_TAKEOVERS = 3;
/** `seen` remembers this many keys, then starts over (keys come from callers' scope strings). */
const SEEN_LIMIT = 10_000;
/**
 * `seen` marker: the caller asked (get) while Redis could not be read. coordinate() then takes a
 * fresh entry it finds instead of replacing it (another process stored it during the outage).
 */
const UNREAD = '\u0000unread';
/** Telemetry events of the cache concern every provider at once. */
const ALL_PROVIDERS = '*';

/**
 * healthy: Redis is used. outage: a command failed; reads and writes use this process's memory while
 * cross-process single flight keeps trying Redis for up to `failoverWaitMs` (a Cluster or Sentinel
 * failover ends within it). degraded: Redis is bypassed until a probe answers.
 */
export type CacheStatus = 'healthy' | 'outage' | 'degraded';

/** One coordinate() call's patience with Redis: when its first failure happened. */
interface Patience {
  since: number | undefined;
}

/**
 * A TokenCache on Redis shared by every process of a service: encrypted entries with TTL, a
 * cross-process single flight (a lease per key), and an in-process fallback whenever Redis does not
 * answer within the command timeout.
 */
export class RedisTokenCache implements TokenCache {
  private readonly link: RedisLink;
  private readonly memory = new MemoryTokenCache();
  private readonly localFlights = new SingleFlight<CachedToken>();
  /** The version of the entry this process last read per key (null: none): tells a new entry from the one we already judged due. */
  private readonly seen = new Map<string, string | null>();
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly closing = new AbortController();
  private state: CacheStatus = 'healthy';
  private outageSince = 0;
  private probing = false;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: CacheSettings,
    deployment: Deployment,
    private readonly reporting: CacheReporting,
  ) {
    // Every background store of a failover waits on this signal: one per key, many at once is normal.
    setMaxListeners(0, this.closing.signal);
    // Connects in the background: a Redis that is down at start is a degraded cache, not a failed createFinauth.
    this.link = new RedisLink(deployment, settings, (slot) => this.wake(slot));
    this.link.onBroken(() => this.failed(new RedisUnavailable('connection lost')));
    this.link.onReady(() => {
      if (this.state !== 'healthy') void this.probe();
    });
  }

  /** True while Redis is bypassed and tokens live in this process only. */
  get isDegraded(): boolean {
    return this.state === 'degraded';
  }

  /** healthy (Redis in use), outage (riding out a failover) or degraded (Redis bypassed until it answers). */
  get status(): CacheStatus {
    return this.state;
  }

  /**
   * What util.inspect (a logged cache object) and `JSON.stringify(cache)` show: the deployment and
   * the state. Never the settings (encryption keys, the Redis password) or the tokens held in memory.
   */
  toJSON(): { deployment: string; status: CacheStatus; keyPrefix: string } {
    return { deployment: this.deployment, status: this.state, keyPrefix: this.settings.keyPrefix };
  }

  [inspect.custom](): string {
    return `RedisTokenCache ${inspect(this.toJSON())}`;
  }

  /** 'node', 'cluster' or 'sentinel'. */
  get deployment(): string {
    return this.link.kind;
  }

  get(key: string): CachedToken | undefined | Promise<CachedToken | undefined> {
    if (this.state !== 'healthy' || this.closing.signal.aborted) return this.fromMemory(key);
    return this.read(key).catch(() => this.fromMemory(key));
  }

  private fromMemory(key: string): CachedToken | undefined {
    const entry = this.memory.get(key);
    if (!entry) this.remember(key, UNREAD);
    return entry;
  }

  async set(key: string, entry: CachedToken): Promise<void> {
    this.memory.set(key, entry);
    if (this.state !== 'healthy') return;
    const keys = redisKeys(this.settings.keyPrefix, key);
    // Kept until the token expires, not until its refresh point: past it, another process still
    // serves the token while one refreshes it (refresh ahead across processes, issue 16).
    const ttl = Math.floor(entry.expiresAt - Date.now());
    if (ttl <= 0) return;
    const { value, version } = encodeEntry(entry, keys.token, this.settings.keys);
    try {
      await this.command((c) => c.set(keys.token, value, { expiration: { type: 'PX', value: ttl } }));
      this.remember(key, version);
    } catch {
      // reported by command(); this process keeps the token in memory
    }
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    if (this.state !== 'healthy') return;
    await this.command((c) => c.del(redisKeys(this.settings.keyPrefix, key).token)).catch(() => undefined);
  }

  /**
   * Cross-process single flight: one process (the lease holder) runs `fetch`, the others wait for
   * its entry. Falls back to fetching in this process when Redis does not answer.
   */
  async coordinate(key: string, fetch: () => Promise<CachedToken>, signal: AbortSignal): Promise<CachedToken> {
    if (this.state === 'degraded' || this.closing.signal.aborted) return this.fetchLocally(key, fetch);
    const keys = redisKeys(this.settings.keyPrefix, key);
    try {
      return await this.coordinateThroughRedis(key, keys, fetch, signal, { since: undefined });
    } catch (error) {
      // Only raised before `fetch` ran: the holder handles its own store failure (fetchAsHolder).
      if (!(error instanceof RedisUnavailable)) throw error;
      this.degrade(error);
      return this.fetchLocally(key, fetch);
    }
  }

  /**
   * Ends every socket and timer at once, in any state (connecting, connected, Redis paused or down,
   * degraded): connections are destroyed, not quit, so nothing waits for a reply that may never
   * come. Waiters and pending commands reject; the process can exit.
   */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new Error('the token cache is closed'));
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    for (const set of this.wakers.values()) for (const wake of set) wake();
    this.wakers.clear();
    this.link.close();
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
    const ttl = Math.floor(local.expiresAt - Date.now());
    if (ttl <= 0) return undefined;
    const { value } = encodeEntry(local, keys.token, this.settings.keys);
    this.command((c) => c.set(keys.token, value, { condition: 'NX', expiration: { type: 'PX', value: ttl } })).catch(() => undefined);
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

  private async coordinateThroughRedis(key: string, keys: RedisKeys, fetch: () => Promise<CachedToken>, signal: AbortSignal, patience: Patience): Promise<CachedToken> {
    const known = this.seen.get(key);
    if (known === undefined || known === UNREAD) {
      const current = await this.patiently(() => this.readEntry(keys), patience, signal);
      if (known === UNREAD && current?.ok && current.entry.refreshAt > Date.now()) {
        // The caller's read missed Redis (an outage); another process has stored a fresh token since.
        this.memory.set(key, current.entry);
        this.remember(key, current.version);
        return current.entry;
      }
      // Called without a read first (forceRefresh): what is stored now is what the caller wants replaced.
      this.remember(key, current === undefined ? null : (current.version ?? null));
    }
    const baseline = this.seen.get(key) ?? null;
    for (let round = 0; round <= MAX_TAKEOVERS; round++) {
      if (signal.aborted) throw signal.reason;
      const owner = randomBytes(16).toString('base64url');
      const won = Number(await this.patiently(() => this.command((c) => c.eval(ACQUIRE_LEASE, { keys: [keys.lease], arguments: [owner, String(this.settings.leaseMs)] })), patience, signal)) === 1;
      if (won) return this.fetchAsHolder(key, keys, owner, baseline, fetch);
      const started = Date.now();
      const entry = await this.awaitHolder(keys, baseline, signal, patience);
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
    const ttl = Math.floor(entry.expiresAt - Date.now());
    const { value, version } = encodeEntry(entry, keys.token, this.settings.keys);
    const target = this.link.publishTarget(keys);
    const store = (): Promise<unknown> => ttl > 0
      ? this.command((c) => c.eval(STORE_AND_RELEASE, { keys: [keys.token, keys.lease], arguments: [value, String(ttl), owner, target.channel, keys.slot, target.mode] }))
      : this.command((c) => c.eval(RELEASE_LEASE, { keys: [keys.lease], arguments: [owner] }));
    try {
      await store();
      if (ttl > 0) this.remember(key, version);
    } catch {
      // The token is good: hand it out now. During a failover, keep trying to share it in the
      // background, so the other processes' waiters find it instead of fetching their own.
      if (this.settings.failoverWaitMs > 0) {
        this.patiently(store, { since: Date.now() }, this.closing.signal).then(() => ttl > 0 && this.remember(key, version), () => undefined);
      }
    }
    return entry;
  }

  /**
   * Waits for the lease holder's entry: woken by pub/sub, else polling with jitter. Undefined when
   * the lease is gone without a new entry (the holder failed or died): the caller takes over.
   */
  private async awaitHolder(keys: RedisKeys, baseline: string | null, signal: AbortSignal, patience: Patience): Promise<{ entry: CachedToken; version: string } | undefined> {
    this.link.watch(keys.slot);
    try {
      for (;;) {
        await this.pause(keys.slot, signal);
        const decoded = await this.patiently(() => this.readEntry(keys), patience, signal);
        if (decoded?.ok && decoded.version !== baseline && decoded.entry.refreshAt > Date.now()) return { entry: decoded.entry, version: decoded.version };
        const leased = await this.patiently(() => this.command((c) => c.exists(keys.lease)), patience, signal);
        if (leased === 0) return undefined;
      }
    } finally {
      this.link.unwatch(keys.slot);
    }
  }

  /**
   * Runs a Redis step of cross-process single flight, riding out a failover: while Redis fails, the
   * step is retried every poll interval until it has failed for `failoverWaitMs` (0: at once), then
   * RedisUnavailable leaves and the caller fetches in this process.
   */
  private async patiently<T>(step: () => Promise<T>, patience: Patience, signal: AbortSignal): Promise<T> {
    for (;;) {
      try {
        const result = await step();
        patience.since = undefined;
        return result;
      } catch (error) {
        if (!(error instanceof RedisUnavailable)) throw error;
        patience.since ??= Date.now();
        if (this.state === 'degraded' || Date.now() - patience.since >= this.settings.failoverWaitMs) throw error;
        await this.pause(undefined, signal);
      }
    }
  }

  /** Resolves on a pub/sub message for `slot`, after a jittered poll interval, or on close; rejects when `signal` aborts. */
  private pause(slot: string | undefined, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.closing.signal.aborted) return Promise.reject(this.closing.signal.reason);
    const base = this.settings.pollIntervalMs;
    const delay = base / 2 + Math.random() * base; // jitter: waiters of many processes do not poll in step
    const key = slot ?? '';
    return new Promise<void>((resolve, reject) => {
      let set = this.wakers.get(key);
      if (!set) this.wakers.set(key, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.wakers.get(key) === set) this.wakers.delete(key);
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
   * Runs one Redis command within the command timeout (see RedisLink); a failure is reported here
   * once and moves the cache out of the healthy state.
   */
  private async command<T>(run: (commands: RedisCommands) => Promise<T>): Promise<T> {
    try {
      return await this.link.command(run, this.state !== 'degraded');
    } catch (error) {
      this.failed(error);
      throw error instanceof RedisUnavailable ? error : new RedisUnavailable(describeRedisError(error, this.link.secrets));
    }
  }

  private remember(key: string, version: string | null): void {
    if (this.seen.size >= SEEN_LIMIT && !this.seen.has(key)) this.seen.clear();
    this.seen.set(key, version);
  }

  /** A command failed: leave the healthy state; degrade at once (single node) or once the failover wait is over. */
  private failed(error: unknown): void {
    if (this.closing.signal.aborted || this.state === 'degraded') return;
    if (this.state === 'healthy') {
      if (this.settings.failoverWaitMs === 0) {
        this.degrade(error);
        return;
      }
      this.state = 'outage';
      this.outageSince = Date.now();
      this.reporting.logger().info('shared token cache: Redis does not answer; waiting for a failover before fetching without coordination', { reason: describeRedisError(error, this.link.secrets), waitMs: this.settings.failoverWaitMs });
      this.startProbing();
    } else if (Date.now() - this.outageSince >= this.settings.failoverWaitMs) {
      this.degrade(error);
    }
  }

  private degrade(error: unknown): void {
    if (this.state === 'degraded' || this.closing.signal.aborted) return;
    this.state = 'degraded';
    const reason = describeRedisError(error, this.link.secrets);
    this.reporting.logger().warn('shared token cache degraded: Redis does not answer; using the in-process cache and single flight', { reason });
    this.emit({ name: 'cache.degraded', providerId: ALL_PROVIDERS, attributes: { reason } });
    this.startProbing();
  }

  private startProbing(): void {
    if (this.probeTimer || this.closing.signal.aborted) return;
    this.probeTimer = setInterval(() => void this.probe(), this.settings.probeIntervalMs);
    this.probeTimer.unref();
  }

  /** While not healthy: every data node answering PING in time ends the outage or the degradation. */
  private async probe(): Promise<void> {
    if (this.state === 'healthy' || this.probing || this.closing.signal.aborted) return;
    this.probing = true;
    try {
      await this.link.probe();
      const was = this.state;
      this.state = 'healthy';
      if (this.probeTimer) clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      if (was === 'degraded') {
        this.reporting.logger().info('shared token cache recovered: Redis answers again; sharing tokens across processes');
        this.emit({ name: 'cache.recovered', providerId: ALL_PROVIDERS });
      } else {
        this.reporting.logger().info('shared token cache: Redis answers again');
      }
    } catch (error) {
      if (this.state === 'outage' && Date.now() - this.outageSince >= this.settings.failoverWaitMs) this.degrade(error);
    } finally {
      this.probing = false;
    }
  }

  /** A pub/sub message: the holder of `slot` stored its entry. */
  private wake(slot: string): void {
    const set = this.wakers.get(slot);
    if (set) for (const wake of [...set]) wake();
  }

  private emit(event: TelemetryEvent): void {
    try {
      this.reporting.telemetry().emit(event);
    } catch {
      // Telemetry must never break token acquisition.
    }
  }
}

