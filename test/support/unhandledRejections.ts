/**
 * Records every promise rejection nobody handled while a suite runs. A token library that leaves
 * one behind crashes its users' processes under `--unhandled-rejections=strict` (Node's default).
 */
export interface RejectionRecorder {
  /** What was rejected without a handler, in order. */
  readonly reasons: readonly unknown[];
  /** Waits for rejections of the current turn to surface (Node reports them after microtasks). */
  settle(): Promise<void>;
  stop(): void;
}

export function recordUnhandledRejections(): RejectionRecorder {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    reasons,
    settle: () => new Promise((resolve) => setImmediate(resolve)),
    stop: () => {
      process.off('unhandledRejection', listener);
    },
  };
}
