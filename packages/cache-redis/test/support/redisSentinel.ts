import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchOnFreePort, type RedisProcess, until } from './redisProcess.js';

export const SENTINEL_NAME = 'finauth';

/** A real Sentinel group on 127.0.0.1: one primary, two replicas, three sentinels (quorum 2). */
export interface RedisSentinelGroup {
  readonly data: readonly RedisProcess[];
  readonly sentinels: readonly RedisProcess[];
  readonly sentinelRootNodes: { host: string; port: number }[];
  readonly startedInMs: number;
  /** The data node the sentinels currently name as primary. */
  primary(): Promise<RedisProcess>;
  /** Resolves when the sentinels name a primary other than `old` and it answers as a primary. */
  failedOver(old: RedisProcess, timeoutMs?: number): Promise<RedisProcess>;
  stop(): Promise<void>;
}

/** `downAfterMs`: how long a silent primary is tolerated before the sentinels fail it over. */
export async function startSentinelGroup(options: { downAfterMs?: number } = {}): Promise<RedisSentinelGroup> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'finauth-redis-sentinel-'));
  const taken = new Set<number>();
  const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--dir', dir];
  const data: RedisProcess[] = [await launchOnFreePort((port) => ['--port', String(port), ...common], 'Ready to accept connections', taken)];
  const primaryPort = data[0]!.port;
  data.push(...(await Promise.all([1, 2].map(() => launchOnFreePort((port) => ['--port', String(port), ...common, '--replicaof', '127.0.0.1', String(primaryPort)], 'Ready to accept connections', taken)))));
  const sentinels: RedisProcess[] = [];
  const group: RedisSentinelGroup = {
    data,
    sentinels,
    get sentinelRootNodes() {
      return sentinels.map((s) => ({ host: '127.0.0.1', port: s.port }));
    },
    startedInMs: 0,
    async primary() {
      const asked = sentinels.find((s) => s.answering);
      const reply = (await asked?.ask(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME])) as [string, string] | undefined;
      const node = data.find((d) => d.port === Number(reply?.[1]));
      if (!node) throw new Error('the sentinels name no known primary');
      return node;
    },
    async failedOver(old, timeoutMs = 30_000) {
      let next: RedisProcess | undefined;
      await until(async () => {
        const named = await group.primary();
        if (named === old || !named.answering) return false;
        const role = (await named.ask(['ROLE'])) as unknown[];
        next = named;
        return String(role[0]) === 'master';
      }, timeoutMs, 'sentinel failover');
      return next!;
    },
    async stop() {
      await Promise.allSettled([...sentinels, ...data].map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await until(async () => {
      for (const replica of data.slice(1)) if (!String(await replica.ask(['INFO', 'replication'])).includes('master_link_status:up')) return false;
      return true;
    }, 60_000, 'replicas synced');
    const downAfter = String(options.downAfterMs ?? 1000);
    sentinels.push(...(await Promise.all([1, 2, 3].map(() => launchOnFreePort((port) => {
      const conf = join(dir, `sentinel-${port}.conf`);
      // Sentinel rewrites its own config file (known replicas and sentinels): one writable file each.
      writeFileSync(conf, [
        `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} ${downAfter}`,
        `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 2`,
        '',
      ].join('\n'));
      return [conf, '--sentinel'];
    }, '+monitor master', taken)))));
    // A failover needs a majority of sentinels that know each other and the replicas (hello messages every 2 s).
    await until(async () => {
      for (const sentinel of sentinels) {
        const peers = (await sentinel.ask(['SENTINEL', 'SENTINELS', SENTINEL_NAME])) as unknown[];
        const replicas = (await sentinel.ask(['SENTINEL', 'REPLICAS', SENTINEL_NAME])) as unknown[];
        if (peers.length < 2 || replicas.length < 2) return false;
      }
      return true;
    }, 60_000, 'sentinels know each other and the replicas');
  } catch (error) {
    await group.stop();
    throw error;
  }
  (group as { startedInMs: number }).startedInMs = Date.now() - started;
  return group;
}

