import type { CachedToken, TokenCache } from './TokenCache.js';

/**
 * The default cache: a Map in this process. Bounded, because scope strings come from callers and
 * each distinct scope set is a key: the oldest entries go first.
 */
export class MemoryTokenCache implements TokenCache {
  private readonly entries = new Map<string, CachedToken>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): CachedToken | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: CachedToken): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    this.entries.clear();
  }
}
