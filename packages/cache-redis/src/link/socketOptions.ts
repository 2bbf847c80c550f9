import type { RedisClientOptions } from 'redis';

type SocketOptions = NonNullable<RedisClientOptions['socket']>;

/** Longest reconnect pause node-redis may sleep through (Cluster nodes only): a close() waits at most this. */
export const NODE_RECONNECT_CAP_MS = 200;

/**
 * The socket options every finauth connection gets:
 * - `signal`: Node destroys the socket when it aborts, whatever node-redis is doing with it
 *   (connecting, handshaking, waiting for a reply from a paused server);
 * - no reconnect timer of node-redis's own (it awaits an uncancellable `setTimeout`, which kept a
 *   closed process alive up to 2 s): `reconnect: 'never'`, and the link rebuilds the connection on
 *   its own, cancellable timer. Cluster node clients must not close for good, though (node-redis's
 *   rediscovery throws on a closed node client and leaves connect promises unhandled), so they
 *   reconnect after at most NODE_RECONNECT_CAP_MS, and never once `signal` aborted;
 * - a bounded connect time unless the caller set one.
 */
export function boundedSocket(socket: RedisClientOptions['socket'] | undefined, signal: AbortSignal, connectTimeoutMs: number, reconnect: 'never' | 'briefly' = 'never'): SocketOptions {
  const given = { ...(socket ?? {}) } as SocketOptions & Record<string, unknown>;
  return {
    ...given,
    connectTimeout: typeof given['connectTimeout'] === 'number' ? given['connectTimeout'] : connectTimeoutMs,
    reconnectStrategy: reconnect === 'never' ? false : (retries: number) => (signal.aborted ? false : Math.min(25 * 2 ** Math.min(retries, 4), NODE_RECONNECT_CAP_MS)),
    signal,
  } as SocketOptions;
}

/**
 * Destroys a node-redis client whatever its state: pending commands are rejected at once (close()
 * would wait for their replies, forever from a paused server). destroy() throws on a client that
 * is already closed, after rejecting what was queued.
 */
export function destroyQuietly(client: { destroy(): unknown }): void {
  try {
    client.destroy();
  } catch {
    // already closed
  }
}
