import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors/index.js';
import type { FinauthOptions } from './FinauthOptions.js';

/**
 * Reads a JSON config file (`{ "providers": [...] }` plus optional top-level options). `file:`
 * references in it are relative to the file's folder.
 */
export function loadConfigFile(path: string): FinauthOptions & Record<string, unknown> {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new ConfigError([{ path: 'config', message: `cannot read ${full} (${(e as NodeJS.ErrnoException).code ?? 'read error'})` }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([{ path: 'config', message: `${full} is not valid JSON: ${(e as Error).message.slice(0, 200)}` }]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([{ path: 'config', message: `${full} must hold a JSON object with a "providers" array` }]);
  }
  return { baseDir: dirname(full), ...(parsed as Record<string, unknown>) } as FinauthOptions & Record<string, unknown>;
}
