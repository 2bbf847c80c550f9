import { createFinauth, type TelemetryEvent } from '@finauth/core';
import { shippedStrategies } from '../strategies.js';
import type { ProviderUnderCheck } from './Check.js';

/** A variant that got a token where the configured value was refused, and the config change that selects it. */
export interface WorkingVariant {
  /** Where the setting sits in the provider (`clientAuth.audience`). */
  readonly setting: string;
  /** The configured value that was refused. */
  readonly configured: string;
  /** The config fragment to write instead. */
  readonly pin: string;
}

/** The settings that adapt, where a provider config may pin them (DESIGN.md §5). */
const ADAPTIVE_SETTINGS: readonly (readonly [string | undefined, string])[] = [
  ['clientAuth', 'audience'],
  ['clientAuth', 'credentialEncoding'],
  [undefined, 'credentialEncoding'],
];

/**
 * After an authentication rejection with a pinned (explicit) adaptive setting: tries the provider
 * again with those settings on `auto`, so finauth walks the documented variants itself, and reports
 * the one that got a token. Undefined when nothing was pinned (adaptation already ran) or no variant
 * works. The token is never printed.
 */
export async function findWorkingVariant(provider: ProviderUnderCheck): Promise<WorkingVariant | undefined> {
  const raw = structuredClone(provider.raw) as Record<string, unknown>;
  const pinned: { setting: string; configured: string }[] = [];
  for (const [parent, name] of ADAPTIVE_SETTINGS) {
    const holder = parent === undefined ? raw : (raw[parent] as Record<string, unknown> | undefined);
    const value = holder?.[name];
    if (holder && typeof value === 'string' && value !== 'auto') {
      pinned.push({ setting: parent ? `${parent}.${name}` : name, configured: value });
      delete holder[name];
    }
  }
  if (pinned.length === 0) return undefined;
  const events: TelemetryEvent[] = [];
  const auth = createFinauth({ ...provider.options, baseDir: provider.baseDir, providers: [raw], strategies: shippedStrategies(), telemetry: { emit: (e) => void events.push(e) } });
  try {
    await auth.getToken(provider.id, { forceRefresh: true });
  } catch {
    return undefined;
  } finally {
    await auth.close();
  }
  const adapted = events.find((e) => e.name === 'auth.adapted');
  const setting = String(adapted?.attributes?.['setting'] ?? pinned[0]!.setting);
  const configured = pinned.find((p) => p.setting === setting)?.configured ?? pinned[0]!.configured;
  // No adaptation: the standard (first) variant works; the setting's default (`auto`) selects it.
  const pin = adapted ? String(adapted.attributes?.['pin']) : fragment(setting, 'auto');
  return { setting, configured, pin };
}

function fragment(path: string, value: string): string {
  const [first, second] = path.split('.');
  return second === undefined ? `"${first}": "${value}"` : `"${first}": { "${second}": "${value}" }`;
}
