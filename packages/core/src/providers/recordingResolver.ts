import { isAbsolute, resolve } from 'node:path';
import type { SecretResolver } from '../config/SecretResolver.js';

/**
 * The instance's resolver, noting the absolute path of every `file:` reference it is asked for
 * (found or not), so `watch` knows which files a provider reads, and every reference it resolved
 * with its value, in order, so `reload()` can tell whether anything it read changed.
 */
export function recordingResolver(inner: SecretResolver, files: string[], resolved: string[] = []): SecretResolver {
  return {
    isReference: (value) => inner.isReference(value),
    resolve(reference, context) {
      if (reference.startsWith('file:') && reference.length > 5) {
        const path = reference.slice(5);
        files.push(isAbsolute(path) ? path : resolve(context.baseDir, path));
      }
      const value = inner.resolve(reference, context);
      resolved.push(reference, value);
      return value;
    },
  };
}
