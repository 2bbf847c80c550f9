/** The callbacks waiting on each signal; the signal's own listener is added once. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` when `signal` aborts; returns what stops that. Every token request of an
 * instance waits on the same signal (the instance closing), and EventTarget's add/removeEventListener
 * per request was a measurable part of a cold token request (docs/performance.md): here the signal
 * gets one listener, and each request only joins and leaves a Set.
 */
export function watchAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const created = new Set<() => void>();
    callbacks = created;
    waiting.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const due = [...created];
        created.clear();
        for (const call of due) call();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
