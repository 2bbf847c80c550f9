import { createClient, type RedisClientOptions } from 'redis';
import { readyChannel } from '../redisKeys.js';
import type { Connection, ConnectionEvents, Deployment } from './Connection.js';
import { connectNode, passwordsOf } from './singleNode.js';
import { boundedSocket, destroyQuietly } from './socketOptions.js';

/** What `redisCache({ sentinel })` takes; the names are node-redis's createSentinel options. */
export interface SentinelOptions {
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> ...`). */
  readonly name: string;
  /** The sentinels to ask, in order (list them all: any one that answers is enough). */
  readonly sentinelRootNodes: readonly { readonly host: string; readonly port: number }[];
  /** Options for the connection to the primary: credentials, TLS, database. No host or port: the sentinels give those. */
  readonly nodeClientOptions?: RedisClientOptions;
  /** Options for the connections to the sentinels (their own password or ACL user, TLS). */
  readonly sentinelClientOptions?: RedisClientOptions;
}

/**
 * A primary found through Sentinel. Each generation asks the sentinels where the primary is
 * (`SENTINEL GET-MASTER-ADDR-BY-NAME`), connects there and checks with ROLE that it is a primary
 * (a demoted one answers "slave"); a broken, hanging or read-only primary makes the link ask again,
 * which is how a failover is followed.
 *
 * Not node-redis's createSentinel: in 5.x it prints errors with console.log from its reconnect
 * loop, sleeps there on an uncancellable 1 s timer, and its destroy() waits for that loop, so a
 * process could not exit at once on close(). The option names are the same.
 */
export function sentinel(options: SentinelOptions, keyPrefix: string, connectTimeoutMs: number): Deployment {
  return {
    kind: 'sentinel',
    rebuildOnTimeout: true,
    secrets: [...passwordsOf(options.nodeClientOptions), ...passwordsOf(options.sentinelClientOptions)],
    publishTarget: () => ({ mode: 'P', channel: readyChannel(keyPrefix) }),
    connect: async (signal: AbortSignal, events: ConnectionEvents): Promise<Connection> => {
      const primary = await askSentinels(options, connectTimeoutMs, signal);
      const node = options.nodeClientOptions ?? {};
      return connectNode({ ...node, socket: { ...(node.socket ?? {}), host: primary.host, port: primary.port } as RedisClientOptions['socket'] }, keyPrefix, connectTimeoutMs, signal, events, async (client) => {
        const role = (await client.sendCommand(['ROLE'])) as unknown[];
        if (!Array.isArray(role) || String(role[0]) !== 'master') throw new Error(`${primary.host}:${primary.port} is not a primary (yet)`);
      });
    },
  };
}

/**
 * The primary's address from the first sentinel that names it. All are asked at once: a sentinel
 * that hangs (paused, partitioned) costs nothing while another answers.
 */
async function askSentinels(options: SentinelOptions, connectTimeoutMs: number, signal: AbortSignal): Promise<{ host: string; port: number }> {
  const base = options.sentinelClientOptions ?? {};
  // The question's own signal: when one sentinel has answered, the others' sockets go at once,
  // even one still connecting (node-redis's destroy() cannot reach that one).
  const question = new AbortController();
  const stop = (): void => question.abort();
  signal.addEventListener('abort', stop, { once: true });
  const clients = options.sentinelRootNodes.map((node) => {
    const client = createClient({
      ...base,
      socket: boundedSocket({ ...(base.socket ?? {}), host: node.host, port: node.port } as RedisClientOptions['socket'], question.signal, connectTimeoutMs),
      disableOfflineQueue: true,
    });
    client.on('error', () => undefined);
    return client;
  });
  try {
    return await Promise.any(clients.map(async (client) => {
      await client.connect();
      const reply = (await client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', options.name])) as unknown;
      if (!Array.isArray(reply) || reply.length !== 2) throw new Error('this sentinel does not know the name');
      return { host: String(reply[0]), port: Number(reply[1]) };
    }));
  } catch {
    throw new Error('no sentinel named the primary');
  } finally {
    signal.removeEventListener('abort', stop);
    question.abort();
    for (const client of clients) destroyQuietly(client);
  }
}
