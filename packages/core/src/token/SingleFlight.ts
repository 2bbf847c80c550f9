/**
 * Concurrent callers for one key share one fetch. The fetch runs on its own (it is not tied to any
 * caller's signal), so a caller that gives up never fails the fetch the others wait on.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Number of fetches running now. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Joins the fetch for `key`, starting it with `fetch` when none runs. */
  run(key: string, fetch: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.runReleasing(
      key,
      (release) => {
        const started = fetch();
        started.then(release, release);
        return started;
      },
      signal,
    );
  }

  /**
   * Like `run`, for a fetch that frees the key itself: it calls `release()` just before it settles
   * (an async function's `finally`). Callers then get the fetch's own promise with no reaction of
   * this class in between: each promise job between the bank's answer and the caller is measurable
   * on a cold token request (docs/performance.md).
   */
  runReleasing(key: string, fetch: (release: () => void) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let shared = this.inFlight.get(key);
    if (!shared) {
      let started: Promise<T> | undefined;
      let released = false;
      const release = (): void => {
        released = true;
        if (started !== undefined && this.inFlight.get(key) === started) this.inFlight.delete(key);
      };
      started = fetch(release);
      // A fetch that failed before its first await has already released: nothing to share.
      if (!released) this.inFlight.set(key, started);
      shared = started;
    }
    return signal ? abandonable(shared, signal) : shared;
  }

  /** True when a fetch for `key` runs now. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }
}

/** `promise`, or the signal's reason if the caller aborts first; the promise itself runs on. */
function abandonable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
