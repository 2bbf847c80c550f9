import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * Turns a reference (`env:NAME`, `file:path`) into the value it names. Replaceable through the
 * container (a vault, a KMS). Resolution is synchronous because it happens once, at creation,
 * where a bad reference must be a ConfigError thrown by `createFinauth` itself.
 */
export interface SecretResolver {
  /** True when `value` is a reference this resolver understands. */
  isReference(value: string): boolean;
  /** The referenced value; throws an Error whose message names the reference, never a value. */
  resolve(reference: string, context: { readonly baseDir: string }): string;
}

export const defaultSecretResolver: SecretResolver = {
  isReference: (value) => value.startsWith('env:') || value.startsWith('file:'),
  resolve(reference, { baseDir }) {
    if (reference.startsWith('env:')) {
      const name = reference.slice(4);
      const value = process.env[name];
      if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
      return value;
    }
    const path = reference.slice(5);
    if (path === '') throw new Error('file: reference has no path');
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    try {
      return readFileSync(full, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'read error';
      throw new Error(`cannot read file ${full} (${code})`);
    }
  },
};
