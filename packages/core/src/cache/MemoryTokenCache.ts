import type { CachedToken, TokenCache } from './TokenCache.js';

/** A key's place in the cache: rewritten in place when its token is refreshed. */
interface Slot {
  entry: CachedToken;
  /** Written again since it took its place in the order: it gets a second chance at eviction. */
  rewritten: boolean;
}

/**
 * The default cache: a Map in this process. Bounded, because scope strings come from callers and
 * each distinct scope set is a key: the least recently written entries go first.
 *
 * A refresh rewrites its key's slot in place. Deleting and re-adding the key on every write (to keep
 * the Map in write order) made V8 rehash the Map every few refreshes and keep the old tables, with
 * the tokens they held, alive through every scavenge until a full GC (docs/performance.md, GC).
 * The write order is kept by a second chance instead: eviction moves a rewritten slot to the end.
 */
export class MemoryTokenCache implements TokenCache {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string): CachedToken | undefined {
    return this.slots.get(key)?.entry;
  }

  set(key: string, entry: CachedToken): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      slot.entry = entry;
      slot.rewritten = true;
      return;
    }
    if (this.slots.size >= this.maxEntries) this.evictOne();
    this.slots.set(key, { entry, rewritten: false });
  }

  /** Drops the least recently written entry; rewritten ones met on the way move to the end. */
  private evictOne(): void {
    for (const [key, slot] of this.slots) {
      this.slots.delete(key);
      if (!slot.rewritten) return;
      slot.rewritten = false;
      this.slots.set(key, slot);
    }
  }

  delete(key: string): void {
    this.slots.delete(key);
  }

  get size(): number {
    return this.slots.size;
  }

  close(): void {
    this.slots.clear();
  }
}
