/** One waiting callback: a node of its signal's list, unlinked (and emptied) when it stops waiting. */
interface Waiter {
  call: (() => void) | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

/** The list of callbacks waiting on each signal (a sentinel node); the signal's own listener is added once. */
const waiting = new WeakMap<AbortSignal, Waiter>();

/**
 * Calls `callback` when `signal` aborts; returns what stops that. Every token request of an
 * instance waits on the same signal (the instance closing), and EventTarget's add/removeEventListener
 * per request was a measurable part of a cold token request (docs/performance.md): here the signal
 * gets one listener, and each request only links and unlinks a node.
 *
 * A linked list, not a Set: a Set that requests join and leave is rehashed every few requests, and
 * V8 keeps the old table (with the callbacks it held) reachable from the new one until a full GC.
 * Once such a table is promoted, every request it names survives each scavenge with it: the heap
 * grew ~8 KB per token request and scavenges took 5x longer (docs/performance.md, GC). An unlinked
 * node here is emptied, so a promoted one keeps nothing alive.
 */
export function watchAbort(signal: AbortSignal, callback: () => void): () => void {
  let head = waiting.get(signal);
  if (!head) {
    const list: Waiter = { call: undefined, prev: undefined, next: undefined };
    list.prev = list.next = list;
    head = list;
    waiting.set(signal, list);
    signal.addEventListener(
      'abort',
      () => {
        const due: Array<() => void> = [];
        for (let node = list.next!; node !== list; ) {
          const next = node.next!;
          if (node.call) due.push(node.call);
          node.call = node.prev = node.next = undefined;
          node = next;
        }
        list.prev = list.next = list;
        for (const call of due) call();
      },
      { once: true },
    );
  }
  const node: Waiter = { call: callback, prev: head.prev, next: head };
  head.prev!.next = node;
  head.prev = node;
  return () => {
    const { prev, next } = node;
    if (prev === undefined || next === undefined) return;
    prev.next = next;
    next.prev = prev;
    node.call = node.prev = node.next = undefined;
  };
}
