import { inspect } from 'node:util';
import { expect } from 'chai';

/** Every way an error reaches a log: message, stack, JSON, util.inspect. None may hold `secret`. */
export function expectNoSecret(value: unknown, secret: string): void {
  const views = [String(value), JSON.stringify(value), inspect(value, { depth: 8, showHidden: true })];
  if (value instanceof Error) views.push(value.stack ?? '', String((value as { cause?: unknown }).cause ?? ''));
  for (const view of views) expect(view, 'a view of the error').to.not.include(secret);
}
