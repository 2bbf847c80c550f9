import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RedisProcess, until } from './redisProcess.js';
import { freePort, launchRedis, RedisStartError } from './redisServer.js';

const run = promisify(execFile);

/** A real Redis Cluster on 127.0.0.1: 3 masters and 3 replicas, on free ports, in a temp folder. */
export interface RedisClusterServer {
  readonly nodes: readonly RedisProcess[];
  readonly rootNodes: { url: string }[];
  /** How long starting, creating and syncing took (ms). */
  readonly startedInMs: number;
  /** The current master of the slot range holding `slot`. */
  masterOf(slot: number): Promise<RedisProcess>;
  masters(): Promise<RedisProcess[]>;
  /** Resolves when every slot is served by a live master again and every live node agrees (state ok). */
  healed(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `nodeTimeoutMs` is Redis's cluster-node-timeout: a master silent that long is failed over to its
 * replica. Low here so a failover takes about two seconds; production clusters use 5-15 s.
 */
export async function startCluster(options: { nodeTimeoutMs?: number } = {}): Promise<RedisClusterServer> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'finauth-redis-cluster-'));
  const nodeTimeout = String(options.nodeTimeoutMs ?? 1500);
  const taken = new Set<number>();
  const launchNode = async (): Promise<RedisProcess> => {
    // freePort() only says the port was free a moment ago: another test's socket may take it before
    // redis-server binds (its ephemeral ports come from the same range). Then new ports, again.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const bus = await freePort();
      if (port === bus || taken.has(port) || taken.has(bus)) continue;
      taken.add(port).add(bus);
      try {
        return new RedisProcess(port, await launchRedis([
          '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(bus),
          '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', nodeTimeout,
          '--dir', dir, '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0',
        ], 'Ready to accept connections'));
      } catch (error) {
        if (!(error instanceof RedisStartError && error.portTaken) || attempt >= 5) throw error;
      }
    }
  };
  const nodes = await Promise.all(Array.from({ length: 6 }, launchNode));
  const server: RedisClusterServer = {
    nodes,
    rootNodes: nodes.slice(0, 3).map((n) => ({ url: n.url })),
    startedInMs: 0,
    async masterOf(slot) {
      const slots = (await anyLive(nodes).ask(['CLUSTER', 'SLOTS'])) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      const node = nodes.find((n) => n.port === Number(range?.[2][1]));
      if (!node) throw new Error(`no master for slot ${slot}`);
      return node;
    },
    async masters() {
      const slots = (await anyLive(nodes).ask(['CLUSTER', 'SLOTS'])) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
      const ports = new Set(slots.map((s) => Number(s[2][1])));
      return nodes.filter((n) => ports.has(n.port));
    },
    async healed(timeoutMs = 30_000) {
      await until(async () => {
        for (const node of nodes.filter((n) => n.answering)) {
          const info = String(await node.ask(['CLUSTER', 'INFO']));
          if (!info.includes('cluster_state:ok')) return false;
        }
        const masters = await server.masters();
        return masters.every((m) => m.alive);
      }, timeoutMs, 'cluster healed');
    },
    async stop() {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
    // A replica that has not synced cannot be promoted: wait for every link before any test kills a master.
    await until(async () => {
      for (const node of nodes) {
        const info = String(await node.ask(['INFO', 'replication']));
        if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false;
        const cluster = String(await node.ask(['CLUSTER', 'INFO']));
        if (!cluster.includes('cluster_state:ok')) return false;
      }
      return true;
    }, 60_000, 'cluster synced');
  } catch (error) {
    await server.stop();
    throw error;
  }
  (server as { startedInMs: number }).startedInMs = Date.now() - started;
  return server;
}

function anyLive(nodes: readonly RedisProcess[]): RedisProcess {
  const live = nodes.find((n) => n.answering);
  if (!live) throw new Error('no live cluster node');
  return live;
}
