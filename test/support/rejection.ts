/** Runs `action` and returns what it threw; fails the test when it did not throw. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
