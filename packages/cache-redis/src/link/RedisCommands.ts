/**
 * The commands the cache uses, as node-redis's single-node, Cluster and Sentinel-resolved clients
 * all offer them (same command API; Cluster routes each by its first key).
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: {
    readonly condition?: 'NX';
    readonly expiration: { readonly type: 'PX'; readonly value: number };
  }): Promise<string | null>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  eval(script: string, options: { readonly keys: string[]; readonly arguments: string[] }): Promise<unknown>;
}
