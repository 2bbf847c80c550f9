import { ContainerModule } from 'inversify';
import type { ConfigIssue } from '../errors/index.js';

/**
 * What an entry of `strategies: [...]` is. inversify's `Container.load` only calls `module.load()`,
 * so a ContainerModule built by a second installed copy of inversify (a strategy package that did
 * not take inversify as a peer) loads like our own: it is recognised by shape, not rejected by
 * `instanceof`.
 */
export type StrategyModuleKind = 'module' | 'foreign-module' | 'factory-function' | 'other';

export function strategyModuleKind(value: unknown): StrategyModuleKind {
  if (value instanceof ContainerModule) return 'module';
  if (value !== null && typeof value === 'object') {
    const candidate = value as { load?: unknown; id?: unknown; constructor?: { name?: unknown } };
    if (typeof candidate.load === 'function' && typeof candidate.id === 'number' && candidate.constructor?.name === 'ContainerModule') return 'foreign-module';
  }
  if (typeof value === 'function' && value.length === 0) return 'factory-function';
  return 'other';
}

/** One issue per entry that is not a strategy module, saying what it is instead. */
export function strategyModuleIssues(modules: readonly unknown[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  modules.forEach((m, i) => {
    const kind = strategyModuleKind(m);
    if (kind === 'factory-function') issues.push({ path: `strategies[${i}]`, message: 'is the strategy package function itself: call it (e.g. fapi2(), not fapi2)' });
    else if (kind === 'other') issues.push({ path: `strategies[${i}]`, message: `is not an inversify ContainerModule, got ${describe(m)} (a strategy package exports a function returning one, e.g. fapi2())` });
  });
  return issues;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object${typeof (value as { constructor?: { name?: unknown } }).constructor?.name === 'string' ? ` (${(value as { constructor: { name: string } }).constructor.name})` : ''}`;
  return `a ${typeof value}`;
}
