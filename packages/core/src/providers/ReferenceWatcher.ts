import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../observability/Logger.js';

/**
 * `watch`: calls `onChange` once the referenced files have been quiet for `debounceMs`. Watches the
 * folders, not the files: a certificate is usually replaced by a rename (Kubernetes secret volumes
 * swap a symlink), which a watch on the old file would miss.
 */
export class ReferenceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private files = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly debounceMs: number,
    private readonly logger: Logger,
    private readonly onChange: () => void,
  ) {}

  /** Watches exactly the folders of `files` (called again after each reload: references change). */
  sync(files: Iterable<string>): void {
    if (this.closed) return;
    this.files = new Set(files);
    const dirs = new Set([...this.files].map((f) => dirname(f)));
    for (const [dir, watcher] of this.watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => this.changed(dir, name));
        watcher.on('error', (error) => this.logger.error('watch: a watched folder failed', { folder: dir, error: error.message }));
        this.watchers.set(dir, watcher);
      } catch (error) {
        this.logger.error('watch: cannot watch a referenced folder', { folder: dir, error: error instanceof Error ? error.message : 'unknown error' });
      }
    }
  }

  private changed(dir: string, name: string | Buffer | null): void {
    // Without a name (some platforms), any change in the folder counts.
    const file = name === null ? undefined : String(name);
    if (file !== undefined && ![...this.files].some((f) => dirname(f) === dir && basename(f) === file) && !file.startsWith('..')) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.onChange();
    }, this.debounceMs);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
