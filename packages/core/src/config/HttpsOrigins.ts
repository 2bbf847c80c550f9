import { registerDecorator, type ValidationArguments } from 'class-validator';
import { httpsOriginProblems } from '../http/resourcePolicy.js';

const MAX_ORIGINS = 100;

function problemsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return ['must be an array of https origins, e.g. ["https://api.bank.example"]'];
  if (value.length === 0) return ['must list at least one origin (leave the field out to allow any https origin)'];
  if (value.length > MAX_ORIGINS) return [`must list at most ${MAX_ORIGINS} origins`];
  return value.flatMap((entry, i) => httpsOriginProblems(entry).map((p) => `[${i}] ${p}`));
}

/**
 * `resourceOrigins`: the https origins `http(providerId)` may send the provider's token to. Each
 * entry is scheme, host and optional port; anything more (a path, a query, user info, http:) is a
 * ConfigError at creation rather than a surprise at the first resource call.
 */
export function HttpsOrigins(): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: 'httpsOrigins',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => problemsOf(value).length === 0,
        // class-validator's messages start with the property name; validateConfig strips it.
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'resourceOrigins'} ${problemsOf(args?.value).join('; ')}`,
      },
    });
  };
}
