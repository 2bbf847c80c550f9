import type { RedisKeys } from '../redisKeys.js';
import type { RedisCommands } from './RedisCommands.js';

/** What a connection tells the link that holds it. */
export interface ConnectionEvents {
  /** A wake-up for waiters of `slot` (the holder of that key stored its entry). */
  message(slot: string): void;
  /** A socket of this connection is gone for good: the link builds a new connection. */
  broken(): void;
}

/**
 * One generation of connections to a Redis deployment, built whole and replaced whole. Every socket
 * it opens carries the generation's AbortSignal: aborting it destroys them all at once, including a
 * socket node-redis is still connecting (its own destroy() cannot reach that one).
 */
export interface Connection {
  readonly commands: RedisCommands;
  /** False once a node of this generation is disconnected (node-redis never reconnects by itself here). */
  healthy(): boolean;
  /** Resolves when every node that holds data answers PING (every master of a Cluster). */
  probe(): Promise<void>;
  /** Ask for wake-ups about `slot` (Cluster: a sharded channel per key); a no-op where one channel serves all. */
  watch(slot: string): void;
  unwatch(slot: string): void;
}

/** How a wake-up is published from the store script: sharded on Cluster, classic elsewhere. */
export interface PublishTarget {
  readonly mode: 'S' | 'P';
  readonly channel: string;
}

/** A kind of deployment (single node, Cluster, Sentinel): how to build a generation of connections. */
export interface Deployment {
  readonly kind: 'node' | 'cluster' | 'sentinel';
  /** Build a new generation; every socket carries `signal`, aborting it must destroy everything. */
  connect(signal: AbortSignal, events: ConnectionEvents): Promise<Connection>;
  publishTarget(keys: RedisKeys): PublishTarget;
  /**
   * Rebuild after a command timed out too: on Cluster and Sentinel a node that hangs is failed over,
   * and only a new discovery finds its successor. A single node has no successor.
   */
  readonly rebuildOnTimeout: boolean;
  /** Passwords in the options, removed from every error text that is logged. */
  readonly secrets: readonly string[];
}
