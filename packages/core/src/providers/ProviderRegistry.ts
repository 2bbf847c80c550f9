import type { ConfigError, ConfigIssue } from '../errors/index.js';
import type { BuiltProvider } from './buildProvider.js';

/** A provider whose config is invalid and that was isolated (`invalidProviders: 'isolate'`). */
export interface InvalidProvider {
  readonly error: ConfigError;
  /** The config as given, tried again by `reload()`. */
  readonly raw: unknown;
  readonly files: readonly string[];
}

/**
 * The providers of one instance, by id. createFinauth fills it; the facade reads it on every call,
 * so a provider swapped in here is what the next call uses.
 */
export class ProviderRegistry {
  private readonly byId = new Map<string, BuiltProvider>();
  private readonly invalid = new Map<string, InvalidProvider>();
  /** Ready providers whose last reload failed (the old one kept running). */
  private readonly reloadIssues = new Map<string, readonly ConfigIssue[]>();

  /** Ids of the providers that can serve. */
  get ids(): readonly string[] {
    return [...this.byId.keys()];
  }

  get(id: string): BuiltProvider | undefined {
    return this.byId.get(id);
  }

  /** True when `id` names a provider, ready or isolated as invalid. */
  has(id: string): boolean {
    return this.byId.has(id) || this.invalid.has(id);
  }

  /** Puts `provider` under its id; returns the one it replaces. */
  set(provider: BuiltProvider): BuiltProvider | undefined {
    const id = provider.info.id;
    const previous = this.byId.get(id);
    this.byId.set(id, provider);
    this.invalid.delete(id);
    this.reloadIssues.delete(id);
    return previous;
  }

  delete(id: string): BuiltProvider | undefined {
    const provider = this.byId.get(id);
    this.byId.delete(id);
    this.invalid.delete(id);
    this.reloadIssues.delete(id);
    return provider;
  }

  values(): IterableIterator<BuiltProvider> {
    return this.byId.values();
  }

  getInvalid(id: string): InvalidProvider | undefined {
    return this.invalid.get(id);
  }

  setInvalid(id: string, entry: InvalidProvider): void {
    this.invalid.set(id, entry);
  }

  invalidEntries(): IterableIterator<[string, InvalidProvider]> {
    return this.invalid.entries();
  }

  setReloadIssues(id: string, issues: readonly ConfigIssue[] | undefined): void {
    if (issues) this.reloadIssues.set(id, issues);
    else this.reloadIssues.delete(id);
  }

  getReloadIssues(id: string): readonly ConfigIssue[] | undefined {
    return this.reloadIssues.get(id);
  }
}
