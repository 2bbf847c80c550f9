import { inspect } from 'node:util';
import type { AxiosInstance } from 'axios';
import type { Container } from 'inversify';
import type { TokenCache } from './cache/TokenCache.js';
import { ConfigError } from './errors/index.js';
import type { FinauthHealth } from './health/ProviderHealth.js';
import { createResourceClient, type ResourceTarget } from './http/createResourceClient.js';
import type { ProviderInfo } from './providers/ProviderInfo.js';
import type { ProviderManager, ReloadResult } from './providers/ProviderManager.js';
import { ResourcePolicy } from './http/resourcePolicy.js';
import type { AccessToken } from './token/AccessToken.js';
import type { GetTokenOptions } from './token/GetTokenOptions.js';
import { closedError, type TokenPipeline } from './token/TokenPipeline.js';

export type { ProviderInfo };

/** The facade `createFinauth` returns (DESIGN.md §3, §5). */
export class Finauth {
  private readonly resourceClients = new Map<string, AxiosInstance>();
  private readonly targets = new WeakMap<TokenPipeline, ResourceTarget>();
  private closed = false;

  /** @internal built by createFinauth */
  constructor(
    readonly container: Container,
    private readonly providers: ProviderManager,
    private readonly cache: TokenCache,
    private readonly closing: AbortController,
  ) {}

  /**
   * What `JSON.stringify(auth)` and util.inspect (a logged instance) show: the providers and whether
   * the instance is closed. Never the container, whose strategies hold client secrets, keys and tokens.
   */
  toJSON(): { providers: string[]; closed: boolean } {
    return { providers: [...this.providerIds], closed: this.closed };
  }

  [inspect.custom](): string {
    return `Finauth ${inspect(this.toJSON())}`;
  }

  /** The ids of the providers that can serve (an isolated invalid provider is not one). */
  get providerIds(): readonly string[] {
    return this.providers.registry.ids;
  }

  provider(providerId: string): ProviderInfo {
    const info = this.providers.registry.get(providerId)?.info;
    if (!info) throw this.missing(providerId);
    return info;
  }

  /** A token for the provider: from the cache while it is good, else fetched once for all concurrent callers. */
  getToken(providerId: string, options?: GetTokenOptions): Promise<AccessToken> {
    const pipeline = this.providers.registry.get(providerId)?.pipeline;
    if (!pipeline) return Promise.reject(this.missing(providerId));
    return pipeline.getToken(options);
  }

  /**
   * An AxiosInstance for the provider's APIs: its mTLS agent, a Bearer token, the strategy's
   * headers; each request uses the provider as it is then (after setProvider or reload, the new one). The token goes to https URLs only, without user info, never through a redirect or
   * axios's proxy, and only to the provider's `resourceOrigins` when it lists them; any other
   * request rejects with a TransportError (`protocol` or `origin`) before a socket is opened
   * (http/resourcePolicy.ts).
   */
  http(providerId: string, options: { readonly scope?: string } = {}): AxiosInstance {
    if (!this.providers.registry.get(providerId)) throw this.missing(providerId);
    const memoKey = `${providerId}\u0000${options.scope ?? ''}`;
    let client = this.resourceClients.get(memoKey);
    if (!client) {
      client = createResourceClient(() => this.resourceTarget(providerId), options.scope);
      this.resourceClients.set(memoKey, client);
    }
    return client;
  }

  /**
   * Adds a provider, or replaces the one with its id, atomically. Validated like at creation: a
   * ConfigError changes nothing. Calls in flight finish on the old provider, whose transport closes
   * once they are done; new calls use the new one.
   */
  async setProvider(config: unknown): Promise<void> {
    if (this.closed) throw closedError(undefined);
    this.providers.set(config);
  }

  /** New calls get the unknown-provider error; calls in flight finish. */
  async removeProvider(providerId: string): Promise<void> {
    if (this.closed) throw closedError(providerId);
    if (!this.providers.remove(providerId)) throw unknownProvider(providerId, this.providerIds);
    for (const key of [...this.resourceClients.keys()]) if (key.startsWith(`${providerId}\u0000`)) this.resourceClients.delete(key);
  }

  /**
   * Re-reads every `env:`/`file:` reference and rebuilds exactly the providers whose material
   * changed. A provider whose new material is invalid keeps serving with the old (see `failed`).
   */
  async reload(): Promise<ReloadResult> {
    if (this.closed) throw closedError(undefined);
    return this.providers.reload();
  }

  /** Overall and per-provider health from what this process has seen: no I/O, no secret. */
  health(): FinauthHealth {
    return this.providers.health();
  }

  /** Stops retries and requests in flight, destroys every agent and socket; the process can exit. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort(closedError(undefined));
    await this.providers.close();
    await this.cache.close?.();
    this.resourceClients.clear();
  }

  /** The provider's pipeline and resource policy as they are now (one policy per provider build). */
  private resourceTarget(providerId: string): ResourceTarget {
    const provider = this.providers.registry.get(providerId);
    if (!provider) throw this.missing(providerId);
    let target = this.targets.get(provider.pipeline);
    if (!target) {
      target = { pipeline: provider.pipeline, policy: new ResourcePolicy(providerId, provider.info.resourceOrigins) };
      this.targets.set(provider.pipeline, target);
    }
    return target;
  }

  private missing(providerId: string): ConfigError {
    if (this.closed) return closedError(providerId);
    return this.providers.registry.getInvalid(providerId)?.error ?? unknownProvider(providerId, this.providerIds);
  }
}

function unknownProvider(providerId: string, known: readonly string[]): ConfigError {
  return new ConfigError([{ path: 'providerId', message: `unknown provider "${String(providerId).slice(0, 128)}"; configured: ${known.join(', ') || '(none)'}` }], { providerId });
}
