/** A key's slot: the fetch running for it now, if any. */
interface Flight<T> {
  running: Promise<T> | undefined;
}

/** Idle slots kept before they are swept: keys are scopes, a handful per provider in practice. */
const IDLE_SLOTS = 64;

/**
 * Concurrent callers for one key share one fetch. The fetch runs on its own (it is not tied to any
 * caller's signal), so a caller that gives up never fails the fetch the others wait on.
 *
 * Each key keeps its slot between fetches: a Map that every fetch adds to and deletes from is
 * rehashed every few fetches, and V8 keeps each old table reachable from the new one until a full
 * GC, so once one is promoted, the fetches the later tables held survive every scavenge
 * (docs/performance.md, GC). A slot is emptied when its fetch ends, so it keeps nothing alive.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();
  #running = 0;

  /** Number of fetches running now. */
  get size(): number {
    return this.#running;
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
    const flight = this.flights.get(key) ?? this.slot(key);
    let shared = flight.running;
    if (!shared) {
      let started: Promise<T> | undefined;
      let released = false;
      const release = (): void => {
        released = true;
        if (started !== undefined && flight.running === started) {
          flight.running = undefined;
          this.#running--;
        }
      };
      started = fetch(release);
      // A fetch that failed before its first await has already released: nothing to share.
      if (!released) {
        flight.running = started;
        this.#running++;
      }
      shared = started;
    }
    return signal ? abandonable(shared, signal) : shared;
  }

  /** True when a fetch for `key` runs now. */
  has(key: string): boolean {
    return this.flights.get(key)?.running !== undefined;
  }

  private slot(key: string): Flight<T> {
    if (this.flights.size - this.#running >= IDLE_SLOTS) {
      for (const [idle, flight] of this.flights) if (flight.running === undefined) this.flights.delete(idle);
    }
    const flight: Flight<T> = { running: undefined };
    this.flights.set(key, flight);
    return flight;
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
