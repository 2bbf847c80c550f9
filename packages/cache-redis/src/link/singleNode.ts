import { createClient, type RedisClientOptions } from 'redis';
import { readyChannel } from '../redisKeys.js';
import type { Connection, ConnectionEvents, Deployment } from './Connection.js';
import type { RedisCommands } from './RedisCommands.js';
import { boundedSocket, destroyQuietly } from './socketOptions.js';

type Client = ReturnType<typeof createClient>;

/** One Redis server: a command client and a subscriber on the one wake-up channel. */
export function singleNode(options: RedisClientOptions, keyPrefix: string, connectTimeoutMs: number): Deployment {
  return {
    kind: 'node',
    rebuildOnTimeout: false,
    secrets: passwordsOf(options),
    publishTarget: () => ({ mode: 'P', channel: readyChannel(keyPrefix) }),
    connect: (signal, events) => connectNode(options, keyPrefix, connectTimeoutMs, signal, events),
  };
}

/**
 * Connects a command client and, in the background, a subscriber (a subscriber that fails only
 * costs wake-ups: waiters poll). Used by Sentinel too, once it knows where the primary is.
 */
export async function connectNode(
  options: RedisClientOptions,
  keyPrefix: string,
  connectTimeoutMs: number,
  signal: AbortSignal,
  events: ConnectionEvents,
  check?: (client: Client) => Promise<void>,
): Promise<Connection> {
  const client = createClient({ ...options, socket: boundedSocket(options.socket, signal, connectTimeoutMs), disableOfflineQueue: true }) as Client;
  const subscriber = client.duplicate() as Client;
  signal.addEventListener('abort', () => {
    destroyQuietly(client);
    destroyQuietly(subscriber);
  }, { once: true });
  let connected = false;
  client.on('error', () => {
    if (connected && !client.isReady) events.broken();
  });
  subscriber.on('error', () => undefined); // the command client reports outages; this one only wakes waiters early
  await client.connect();
  if (check) await check(client);
  connected = true;
  if (signal.aborted) throw new Error('aborted');
  subscriber
    .connect()
    .then(() => subscriber.subscribe(readyChannel(keyPrefix), (slot: string) => events.message(slot)))
    .catch(() => undefined);
  return {
    commands: client as unknown as RedisCommands,
    healthy: () => client.isReady,
    probe: async () => {
      await client.ping();
    },
    watch: () => undefined,
    unwatch: () => undefined,
  };
}

/** The passwords in client options (explicit or in the URL): never printed in a log line. */
export function passwordsOf(options: RedisClientOptions | undefined): string[] {
  if (!options) return [];
  return [options.password, urlPassword(options.url)].filter((s): s is string => typeof s === 'string' && s !== '');
}

function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
