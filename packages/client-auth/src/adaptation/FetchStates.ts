/**
 * State kept per fetch (all attempts of one token request), keyed by the fetch's identity object.
 * The latest fetch lives in two fields; only a fetch still running when another starts (two scopes
 * at once) moves to a WeakMap. A provider fetching one token after another thus never writes to
 * a WeakMap on the token request's path (docs/performance.md: each write there is measurable).
 */
export class FetchStates<S> {
  #latestFetch: object | undefined;
  #latest: S | undefined;
  /** The latest fetch has ended (`done`): a new one may take its place without moving it. */
  #latestDone = true;
  /** Made when a fetch first overlaps another: most providers never have two at once (or never fetch). */
  #older: WeakMap<object, S> | undefined;

  get(fetch: object): S | undefined {
    return fetch === this.#latestFetch ? this.#latest : this.#older?.get(fetch);
  }

  set(fetch: object, state: S): void {
    if (fetch !== this.#latestFetch) {
      if (!this.#latestDone && this.#latestFetch !== undefined) (this.#older ??= new WeakMap()).set(this.#latestFetch, this.#latest as S);
      this.#latestFetch = fetch;
      this.#latestDone = false;
    }
    this.#latest = state;
  }

  /** The fetch ended: its state is no longer needed. */
  done(fetch: object): void {
    if (fetch === this.#latestFetch) this.#latestDone = true;
    else this.#older?.delete(fetch);
  }
}
