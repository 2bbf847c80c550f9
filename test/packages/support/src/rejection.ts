/** What `action` (a promise, or a function returning one) rejected with; fails the test when it did not reject. */
export async function rejection(action: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** Every way an error can be shown: message, JSON (toJSON), stack, cause. */
export function everyRendering(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [String(e?.message), JSON.stringify(error), String(e?.stack), String(e?.cause), JSON.stringify(e?.cause ?? null)].join('\n');
}
