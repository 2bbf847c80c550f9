import { FinauthError, TokenEndpointError } from '@finauth/core';

/**
 * One line for a failure: the typed error's message and code. finauth errors never carry a secret
 * (core redacts them), so the message is safe to print; anything else is reduced to its message.
 */
export function describeError(error: unknown): string {
  if (TokenEndpointError.is(error) && error.interactionId !== undefined) {
    // FAPI banks trace a failed call by its x-fapi-interaction-id: the guide says to quote it to support.
    return `${error.message} (${error.name}, code ${error.code}; x-fapi-interaction-id ${error.interactionId}: quote it to the bank's support)`;
  }
  if (FinauthError.is(error)) return `${error.message} (${error.name}, code ${error.code})`;
  if (error instanceof Error) return `${error.message} (${error.name})`;
  return String(error);
}

/** The stack, for `--verbose` only. */
export function errorStack(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
