import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clientSecretBasic } from '@finauth/client-secret-basic';
import { ConfigError, type ConfigIssue } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { oauth2 } from '@finauth/oauth2';
import { snapBi } from '@finauth/snap-bi';
import { ContainerModule } from 'inversify';

/** Makes the strategy modules for one finauth instance (a module is made anew for each). */
export type StrategySource = () => ContainerModule[];

/** The strategies that ship with finauth: always there, whatever the config names. */
const SHIPPED: ReadonlyMap<string, () => ContainerModule> = new Map([
  ['@finauth/fapi2', fapi2],
  ['@finauth/client-secret-basic', clientSecretBasic],
  ['@finauth/oauth2', oauth2],
  ['@finauth/snap-bi', snapBi],
]);

export function shippedStrategies(): ContainerModule[] {
  return [...SHIPPED.values()].map((make) => make());
}

/**
 * The strategies of a config file: the shipped ones plus every module named in its `"strategies"`
 * (`"@acme/finauth-mybank"`, or `"@acme/finauth-mybank#myBank"` for a named export), resolved from
 * the config file's folder, then the working directory. A module that cannot be found or loaded,
 * or is not a strategy module, is a ConfigError with one line saying which and why.
 */
export async function configStrategies(names: unknown, configDir: string, cwd = process.cwd()): Promise<StrategySource> {
  if (names === undefined) return shippedStrategies;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new ConfigError([{ path: 'strategies', message: 'must be an array of package names, e.g. ["@acme/finauth-mybank"]' }]);
  }
  const makers: Array<() => ContainerModule> = [];
  const issues: ConfigIssue[] = [];
  for (const [index, spec] of (names as string[]).entries()) {
    if (SHIPPED.has(spec)) continue;
    const made = await loadStrategy(spec, [configDir, cwd]);
    if (typeof made === 'string') issues.push({ path: `strategies[${index}]`, message: `"${spec}" ${made}` });
    else makers.push(made);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return () => [...shippedStrategies(), ...makers.map((make) => make())];
}

/** The maker of one named module, or why there is none. */
async function loadStrategy(spec: string, bases: readonly string[]): Promise<(() => ContainerModule) | string> {
  const hash = spec.lastIndexOf('#');
  const [name, exportName] = hash > 0 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, 'default'];
  let resolved: string | undefined;
  for (const base of new Set(bases)) {
    try {
      resolved = createRequire(join(base, 'finauth.config.js')).resolve(name);
      break;
    } catch {
      // not installed there: try the next folder
    }
  }
  if (resolved === undefined) return `cannot be found from ${[...new Set(bases)].join(' or ')}: install it next to the config file (npm install ${name})`;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (error) {
    return `failed to load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const exported = namespace[exportName];
  const expected = exportName === 'default' ? `export default a function returning an inversify ContainerModule, or name the export ("${name}#myStrategy")` : `export "${exportName}" must be a function returning an inversify ContainerModule`;
  if (exported === undefined) return `is not a strategy module: it has no ${exportName === 'default' ? 'default export' : `export "${exportName}"`} (${expected})`;
  const make = typeof exported === 'function' ? (exported as () => unknown) : () => exported;
  let probe: unknown;
  try {
    probe = make();
  } catch (error) {
    return `failed to make its strategy module: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  // A module from a second copy of inversify is recognised by core by shape; so here.
  const isModule = probe instanceof ContainerModule || (probe !== null && typeof probe === 'object' && (probe as { constructor?: { name?: string } }).constructor?.name === 'ContainerModule');
  if (!isModule) return `is not a strategy module: ${exportName === 'default' ? 'its default export' : `export "${exportName}"`} does not give an inversify ContainerModule (${expected})`;
  return make as () => ContainerModule;
}
