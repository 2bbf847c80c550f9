import { createCluster, type RedisClientOptions, type RedisClusterOptions } from 'redis';
import { shardedReadyChannel, type RedisKeys } from '../redisKeys.js';
import type { Connection, ConnectionEvents, Deployment } from './Connection.js';
import type { RedisCommands } from './RedisCommands.js';
import { passwordsOf } from './singleNode.js';
import { boundedSocket, destroyQuietly } from './socketOptions.js';

type Cluster = ReturnType<typeof createCluster>;
const SLOTS = 16384;

/** What `redisCache({ cluster })` takes: node-redis's Cluster options finauth lets through. */
export interface ClusterOptions {
  /** Some nodes of the cluster (three is plenty): `{ url }` or client options with a socket. */
  readonly rootNodes: readonly RedisClientOptions[];
  /** Options for every node's connection: credentials, TLS (`socket: { tls: true, ... }`), timeouts. */
  readonly defaults?: Partial<RedisClientOptions>;
  /** Addresses the cluster announces → addresses to connect to (NAT, containers). */
  readonly nodeAddressMap?: RedisClusterOptions['nodeAddressMap'];
  /** MOVED/ASK redirections followed per command (node-redis default 16). */
  readonly maxCommandRedirections?: number;
}

/**
 * A Redis Cluster through node-redis's createCluster. Commands go to the master of their key's
 * slot (never a replica: a lease must be read where it was written). node-redis refreshes its slot
 * map only on MOVED/ASK, which a dead master never sends, so a node that breaks or hangs makes the
 * link discover the cluster again; the new map names the promoted replica.
 */
export function cluster(options: ClusterOptions, keyPrefix: string, connectTimeoutMs: number): Deployment {
  return {
    kind: 'cluster',
    rebuildOnTimeout: true,
    secrets: [...passwordsOf(options.defaults as RedisClientOptions | undefined), ...options.rootNodes.flatMap((n) => passwordsOf(n))],
    // Sharded pub/sub (Redis 7): the channel shares the key's hash tag, so SPUBLISH in the store script
    // stays in the script's slot and the message reaches only that shard's subscribers.
    publishTarget: (keys: RedisKeys) => ({ mode: 'S', channel: shardedReadyChannel(keyPrefix, keys.slot) }),
    connect: (signal, events) => connectCluster(options, keyPrefix, connectTimeoutMs, signal, events),
  };
}

async function connectCluster(options: ClusterOptions, keyPrefix: string, connectTimeoutMs: number, signal: AbortSignal, events: ConnectionEvents): Promise<Connection> {
  const defaults = options.defaults ?? {};
  const client = createCluster({
    ...(options.nodeAddressMap !== undefined ? { nodeAddressMap: options.nodeAddressMap } : {}),
    ...(options.maxCommandRedirections !== undefined ? { maxCommandRedirections: options.maxCommandRedirections } : {}),
    rootNodes: options.rootNodes.map((node) => ({ ...node })),
    // Every node connection (discovery, masters, sharded subscribers) inherits these socket options.
    defaults: { ...defaults, socket: boundedSocket(defaults.socket, signal, connectTimeoutMs, 'briefly'), disableOfflineQueue: true },
    useReplicas: false,
    minimizeConnections: false,
  }) as Cluster;
  signal.addEventListener('abort', () => destroyQuietly(client), { once: true });
  // In service: every master answered once.
  let connected = false;
  // node-redis's connect() awaits every master's first connect, and a node client retries a master
  // that refuses (briefly, see boundedSocket) for as long as it lives: during a failover the slot map
  // still names the dead master until its replica is promoted, so the build would hang until its
  // deadline (3 x connectTimeoutMs, as long as failoverWaitMs in the tests: every process then
  // degraded). The first node error while connecting fails the build instead, and the link tries
  // again on its back-off (50 ms doubling to 1 s), which finds the promoted replica.
  // (Not by letting the node client give up: a node client closed for good makes node-redis's next
  // discovery throw on destroy() and leave the new nodes' connect promises unhandled.)
  let refuse: (error: Error) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => undefined);
  client.on('error', () => undefined); // discovery failures: the link retries on its own timer
  client.on('node-error', () => {
    if (!connected) refuse(new Error('a node of the cluster does not answer'));
    // In service, a node client reconnects by itself, but a dead master has a successor only a
    // new discovery finds: report it, the link rebuilds.
    else if (!everyMasterReady(client)) events.broken();
  });
  await Promise.race([client.connect(), refused]);
  if (signal.aborted) throw new Error('aborted');
  if (!coversEverySlot(client)) throw new Error('the cluster does not serve every slot yet');
  if (!everyMasterReady(client)) throw new Error('a master of the cluster does not answer');
  connected = true;
  const listener = (slot: string): void => events.message(slot);
  let sharded = true;
  return {
    commands: client as unknown as RedisCommands,
    healthy: () => everyMasterReady(client),
    probe: async () => {
      if (!coversEverySlot(client)) throw new Error('a slot has no master');
      await Promise.all(client.masters.map(async (master) => (await client.nodeClient(master)).ping()));
    },
    watch: (slot) => {
      if (!sharded) return;
      client.sSubscribe(shardedReadyChannel(keyPrefix, slot), listener).catch((error: unknown) => {
        // Redis < 7 has no sharded pub/sub: waiters poll instead.
        if (error instanceof Error && /unknown command/i.test(error.message)) sharded = false;
      });
    },
    unwatch: (slot) => {
      if (!sharded) return;
      client.sUnsubscribe(shardedReadyChannel(keyPrefix, slot), listener).catch(() => undefined);
    },
  };
}

function everyMasterReady(client: Cluster): boolean {
  return client.isOpen && client.masters.length > 0 && client.masters.every((m) => m.client?.isReady === true);
}

function coversEverySlot(client: Cluster): boolean {
  const slots = client.slots;
  for (let i = 0; i < SLOTS; i++) if (!slots[i]) return false;
  return true;
}
