/** A demo step that failed: which one, and why (the cause's one-line description). */
export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`demo failed at step "${step}"`);
    this.name = 'DemoStepError';
  }
}

/** Runs one named step; a failure becomes a DemoStepError naming it. */
export async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new DemoStepError(name, error);
  }
}
