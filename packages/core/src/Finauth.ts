import type { AxiosInstance } from 'axios';
import type { Container } from 'inversify';
import type { TokenCache } from './cache/TokenCache.js';
import { ConfigError } from './errors/index.js';
import { createResourceClient } from './http/createResourceClient.js';
import { ResourcePolicy } from './http/resourcePolicy.js';
import type { AccessToken } from './token/AccessToken.js';
import type { GetTokenOptions } from './token/GetTokenOptions.js';
import type { ProviderInfo } from './providers/ProviderInfo.js';
import type { ProviderRegistry } from './providers/ProviderRegistry.js';
import { closedError } from './token/TokenPipeline.js';

export type { ProviderInfo };

/** The facade `createFinauth` returns (DESIGN.md §3). */
export class Finauth {
  private readonly resourceClients = new Map<string, AxiosInstance>();
  private closed = false;

  /** @internal built by createFinauth */
  constructor(
    readonly container: Container,
    private readonly providers: ProviderRegistry,
    private readonly cache: TokenCache,
    private readonly closing: AbortController,
  ) {}

  /** The configured provider ids. */
  get providerIds(): readonly string[] {
    return this.providers.ids;
  }

  provider(providerId: string): ProviderInfo {
    const info = this.providers.get(providerId)?.info;
    if (!info) throw unknownProvider(providerId, this.providerIds);
    return info;
  }

  /** A token for the provider: from the cache while it is good, else fetched once for all concurrent callers. */
  getToken(providerId: string, options?: GetTokenOptions): Promise<AccessToken> {
    const pipeline = this.providers.get(providerId)?.pipeline;
    if (!pipeline) return Promise.reject(this.closed ? closedError(providerId) : unknownProvider(providerId, this.providerIds));
    return pipeline.getToken(options);
  }

  /**
   * An AxiosInstance for the provider's APIs: its mTLS agent, a Bearer token, the strategy's
   * headers. The token goes to https URLs only, without user info, never through a redirect or
   * axios's proxy, and only to the provider's `resourceOrigins` when it lists them; any other
   * request rejects with a TransportError (`protocol` or `origin`) before a socket is opened
   * (http/resourcePolicy.ts).
   */
  http(providerId: string, options: { readonly scope?: string } = {}): AxiosInstance {
    const pipeline = this.providers.get(providerId)?.pipeline;
    if (!pipeline) throw this.closed ? closedError(providerId) : unknownProvider(providerId, this.providerIds);
    const memoKey = `${providerId}\u0000${options.scope ?? ''}`;
    let client = this.resourceClients.get(memoKey);
    if (!client) {
      client = createResourceClient(pipeline, options.scope, new ResourcePolicy(providerId, this.providers.get(providerId)?.info.resourceOrigins));
      this.resourceClients.set(memoKey, client);
    }
    return client;
  }

  /** Stops retries and requests in flight, destroys every agent and socket; the process can exit. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort(closedError(undefined));
    await Promise.allSettled([...this.providers.values()].map((p) => p.pipeline.close()));
    await this.cache.close?.();
    this.resourceClients.clear();
  }
}

function unknownProvider(providerId: string, known: readonly string[]): ConfigError {
  return new ConfigError([{ path: 'providerId', message: `unknown provider "${String(providerId).slice(0, 128)}"; configured: ${known.join(', ') || '(none)'}` }], { providerId });
}
