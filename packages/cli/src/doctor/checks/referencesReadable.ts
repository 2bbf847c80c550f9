import { defaultSecretResolver } from '@finauth/core';
import { fail, pass, type Check } from '../Check.js';

/** Every `env:` and `file:` reference anywhere in the provider, with the dotted path it sits at. */
function references(value: unknown, path: string, out: { path: string; ref: string }[]): typeof out {
  if (typeof value === 'string' && defaultSecretResolver.isReference(value)) out.push({ path, ref: value });
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) references(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

export const referencesReadable: Check = {
  name: 'referenced files and variables',
  run(provider) {
    const refs = references(provider.raw, '', []);
    const problems: string[] = [];
    for (const { path, ref } of refs) {
      try {
        defaultSecretResolver.resolve(ref, { baseDir: provider.baseDir });
      } catch (error) {
        // The resolver's message names the file or variable, never its content.
        problems.push(`${provider.path}.${path}: ${(error as Error).message}`);
      }
    }
    const files = refs.filter((r) => r.ref.startsWith('file:')).length;
    const vars = refs.length - files;
    if (problems.length > 0) return fail(problems.join('; '), `file: paths are relative to the config file's folder (${provider.baseDir}); env: names a variable that must be set`);
    return pass(refs.length === 0 ? 'no env: or file: references' : `${files} file(s) and ${vars} environment variable(s) resolved`);
  },
};
