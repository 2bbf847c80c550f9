import { ParsedMaterial } from '../config/ParsedMaterial.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { FinauthHealth, HealthStatus, ProviderHealth } from '../health/ProviderHealth.js';
import type { TokenPipeline } from '../token/TokenPipeline.js';
import { assembleProvider, buildProvider, resolveProvider, type BuildContext, type BuiltProvider } from './buildProvider.js';
import type { ProviderRegistry } from './ProviderRegistry.js';
import { ReferenceWatcher } from './ReferenceWatcher.js';

/** What `reload()` did. */
export interface ReloadResult {
  /** Providers rebuilt because their material changed. */
  readonly reloaded: readonly string[];
  /** Providers whose new material is invalid: the old provider keeps serving (or stays isolated). */
  readonly failed: ReadonlyArray<{ readonly providerId: string; readonly error: ConfigError }>;
}

/**
 * Changes to the providers of a running instance: add, replace, remove, reload. A swap is one
 * registry write, so every call sees either the old provider or the new one; the old one keeps
 * serving the calls it had and is closed once they are done.
 */
export class ProviderManager {
  private readonly retiring = new Set<TokenPipeline>();
  private readonly closings = new WeakMap<TokenPipeline, Promise<void>>();
  private watcher: ReferenceWatcher | undefined;

  constructor(
    readonly registry: ProviderRegistry,
    private readonly base: Omit<BuildContext, 'material'>,
    watch: { readonly debounceMs: number } | undefined,
  ) {
    if (watch) {
      this.watcher = new ReferenceWatcher(watch.debounceMs, base.services.logger, () => {
        try {
          this.reload();
        } catch (error) {
          base.services.logger.error('watch: reload failed', { error: error instanceof Error ? error.message : 'unknown error' });
        }
      });
      this.watcher.sync(this.referencedFiles());
    }
  }

  /** Adds or replaces a provider; a ConfigError changes nothing. */
  set(raw: unknown): void {
    const result = buildProvider(raw, pathFor(raw), this.context());
    if (!result.ok) throw new ConfigError(result.issues, { providerId: idOf(raw) });
    const previous = this.registry.set(result.provider);
    if (previous) this.retire(previous.pipeline);
    this.watcher?.sync(this.referencedFiles());
  }

  /** Removes a provider; false when there is none by that id. */
  remove(id: string): boolean {
    if (!this.registry.has(id)) return false;
    const previous = this.registry.delete(id);
    if (previous) this.retire(previous.pipeline);
    this.watcher?.sync(this.referencedFiles());
    return true;
  }

  /** Re-reads every reference; rebuilds exactly the providers whose resolved config changed. */
  reload(): ReloadResult {
    const ctx = this.context();
    const reloaded: string[] = [];
    const failed: Array<{ providerId: string; error: ConfigError }> = [];
    const fail = (id: string, issues: ConfigIssue[]): void => {
      const error = new ConfigError(issues, { providerId: id });
      failed.push({ providerId: id, error });
      this.base.services.logger.error('reload: the new material of a provider is invalid; it keeps its previous config', { providerId: id, issues: issues.map((i) => i.path).join(', ') });
    };
    for (const current of [...this.registry.values()]) {
      const id = current.info.id;
      const resolved = resolveProvider(current.source.raw, id, ctx);
      if (!resolved.ok) {
        this.registry.setReloadIssues(id, resolved.issues);
        fail(id, resolved.issues);
        continue;
      }
      if (resolved.resolved.source.digest === current.source.digest) {
        this.registry.setReloadIssues(id, undefined);
        continue;
      }
      const built = assembleProvider(resolved.resolved, id, ctx);
      if (!built.ok) {
        this.registry.setReloadIssues(id, built.issues);
        fail(id, built.issues);
        continue;
      }
      if (this.registry.get(id) !== current) {
        // Replaced meanwhile by setProvider: that one wins.
        void built.provider.pipeline.close().catch(() => undefined);
        continue;
      }
      this.registry.set(built.provider);
      this.retire(current.pipeline);
      reloaded.push(id);
    }
    for (const [id, entry] of [...this.registry.invalidEntries()]) {
      const built = buildProvider(entry.raw, id, ctx);
      if (built.ok && built.provider.info.id === id) {
        this.registry.set(built.provider);
        reloaded.push(id);
      } else if (built.ok) {
        void built.provider.pipeline.close().catch(() => undefined);
      } else {
        const error = new ConfigError(built.issues, { providerId: id });
        this.registry.setInvalid(id, { error, raw: entry.raw, files: built.files ?? entry.files });
        failed.push({ providerId: id, error });
      }
    }
    if (reloaded.length > 0) this.base.services.logger.info('reload: providers rebuilt', { providers: reloaded.join(', ') });
    this.watcher?.sync(this.referencedFiles());
    return { reloaded, failed };
  }

  /** `auth.health()`: per provider from what each pipeline recorded; no I/O. */
  health(): FinauthHealth {
    const providers: Record<string, ProviderHealth> = {};
    for (const provider of this.registry.values()) {
      const view = provider.pipeline.health();
      const issues = this.registry.getReloadIssues(provider.info.id);
      providers[provider.info.id] = issues ? { ...view, status: view.status === 'ok' ? 'degraded' : view.status, invalidConfig: issues } : view;
    }
    for (const [id, entry] of this.registry.invalidEntries()) providers[id] = { status: 'down', circuit: 'closed', invalidConfig: entry.error.issues };
    const statuses = Object.values(providers).map((p) => p.status);
    let status: HealthStatus = 'ok';
    if (statuses.length > 0 && statuses.every((s) => s === 'down')) status = 'down';
    else if (statuses.some((s) => s !== 'ok')) status = 'degraded';
    return { status, providers };
  }

  /** Closes every provider, current and retiring, and the watcher. */
  async close(): Promise<void> {
    this.watcher?.close();
    const pipelines = [...[...this.registry.values()].map((p) => p.pipeline), ...this.retiring];
    await Promise.allSettled(pipelines.map((p) => this.closeOnce(p)));
  }

  /** Pipelines replaced or removed whose calls are still running. */
  get retiringCount(): number {
    return this.retiring.size;
  }

  private retire(pipeline: TokenPipeline): void {
    this.retiring.add(pipeline);
    void pipeline.activity
      .idle()
      .then(() => this.closeOnce(pipeline))
      .catch((error: unknown) => this.base.services.logger.warn('closing a replaced provider failed', { providerId: pipeline.providerId, error: error instanceof Error ? error.message : 'unknown error' }))
      .finally(() => this.retiring.delete(pipeline));
  }

  private closeOnce(pipeline: TokenPipeline): Promise<void> {
    let closing = this.closings.get(pipeline);
    if (!closing) {
      closing = pipeline.close();
      this.closings.set(pipeline, closing);
    }
    return closing;
  }

  private context(): BuildContext {
    return { ...this.base, material: new ParsedMaterial() };
  }

  private referencedFiles(): string[] {
    const files: string[] = [];
    for (const provider of this.registry.values()) files.push(...provider.source.files);
    for (const [, entry] of this.registry.invalidEntries()) files.push(...entry.files);
    return files;
  }

  /** Stops the watcher (tests, close). */
  stopWatching(): void {
    this.watcher?.close();
  }
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 128) : undefined;
}

/** Issue paths of a provider changed at run time start with its id. */
function pathFor(raw: unknown): string {
  return idOf(raw) ?? 'provider';
}
