import type { BuiltProvider } from './buildProvider.js';

/**
 * The providers of one instance, by id. createFinauth fills it; the facade reads it on every call,
 * so a provider swapped in here is what the next call uses.
 */
export class ProviderRegistry {
  private readonly byId = new Map<string, BuiltProvider>();

  get ids(): readonly string[] {
    return [...this.byId.keys()];
  }

  get(id: string): BuiltProvider | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  set(provider: BuiltProvider): void {
    this.byId.set(provider.info.id, provider);
  }

  delete(id: string): BuiltProvider | undefined {
    const provider = this.byId.get(id);
    this.byId.delete(id);
    return provider;
  }

  values(): IterableIterator<BuiltProvider> {
    return this.byId.values();
  }
}
