import { ConfigError, validateConfig, type ConfigIssue, type StrategyContext } from '@finauth/core';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { SIGNER_FACTORY, type ManagedSigner, type SignerFactory } from './SignerFactory.js';

/** True for `{ "type": "...", ... }` written in a config: a signer to build, not a Signer object. */
export function isSignerConfig(value: unknown): value is Record<string, unknown> & { type: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { sign?: unknown }).sign !== 'function' && 'type' in value;
}

/**
 * What building a config-declared signer needs of the strategy's creation context: the container
 * holding the signer factories, the reference resolver, and who asks. `finauth doctor` gives these
 * without a whole provider, to open a signer on its own.
 */
export type SignerCreationContext = Pick<StrategyContext, 'providerId' | 'logger' | 'container' | 'resolveReferences'>;

/**
 * Builds a config-declared signer with the factory registered for its `type` (SIGNER_FACTORY, in
 * the instance's container): validates the object, resolves its references, creates it. Issues are
 * pushed with paths under `path` (`clientAuth.signer.keyLabel`); undefined when it cannot be built.
 * Strategies call this through resolveSigner; they know no signer type themselves.
 */
export function createConfiguredSigner(raw: Record<string, unknown>, path: string, context: SignerCreationContext, wanted: { alg?: string | undefined; kid?: string | undefined }, issues: ConfigIssue[]): ManagedSigner | undefined {
  const factories = context.container?.isBound(SIGNER_FACTORY) ? context.container.getAll<SignerFactory>(SIGNER_FACTORY) : [];
  const byType = new Map<string, SignerFactory>();
  for (const factory of factories) {
    if (byType.has(factory.type)) issues.push({ path: `${path}.type`, message: `two signer modules claim the type "${factory.type}"` });
    byType.set(factory.type, factory);
  }
  const type = raw['type'];
  const factory = typeof type === 'string' ? byType.get(type) : undefined;
  if (!factory) {
    const known = [...byType.keys()].join(', ') || "(none: add the signer package's module to strategies, next to the strategy modules)";
    issues.push({ path: `${path}.type`, message: typeof type === 'string' ? `unknown signer type "${type.slice(0, 64)}"; registered: ${known}` : `must be a string naming a signer type; registered: ${known}` });
    return undefined;
  }
  const validated = validateConfig(factory.configClass, raw, path);
  if (!validated.ok) {
    issues.push(...validated.issues);
    return undefined;
  }
  const refIssues = context.resolveReferences?.(validated.value) ?? [];
  if (refIssues.length > 0) {
    issues.push(...ConfigError.prefixed(path, refIssues));
    return undefined;
  }
  try {
    return factory.create(validated.value, { providerId: context.providerId, logger: context.logger, alg: wanted.alg, kid: wanted.kid });
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    issues.push(...ConfigError.prefixed(path, error.issues));
    return undefined;
  }
}

/**
 * class-validator decorator for `clientAuth.signer`: a Signer object (an `alg` and a `sign`
 * function: KMS or HSM adapters given in code), or a config-declared signer (`{ "type": ... }`),
 * whose own fields its factory validates at creation.
 */
export function IsSignerSetting(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSignerSetting',
      validator: {
        validate: (value: unknown) =>
          isSignerConfig(value) ? typeof value.type === 'string' : typeof value === 'object' && value !== null && typeof (value as { sign?: unknown }).sign === 'function' && typeof (value as { alg?: unknown }).alg === 'string',
        defaultMessage: () => 'signer must be an object with an alg and a sign(payload, header) function, or a signer config { "type": "...", ... }',
      },
    },
    options,
  );
}
