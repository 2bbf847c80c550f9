import type { FinauthError, TokenCallContext } from '@finauth/core';
import { isAuthenticationRejection } from './authenticationRejection.js';
import { FetchStates } from './FetchStates.js';

/** One way to send a setting: `key` names it, `value` is what goes on the wire (compared to skip duplicates). */
export interface Candidate {
  readonly key: string;
  readonly value: string;
  /** The config fragment that pins this variant, e.g. `"clientAuth": { "audience": "token_endpoint" }`. */
  readonly pin: string;
}

interface FetchState {
  /** The key this fetch sends now. */
  current: string | undefined;
  /** Values already sent in this fetch (each variant is tried once). */
  readonly tried: Set<string>;
  /** The candidates of the last attempt, in ladder order. */
  candidates: readonly Candidate[];
  /** The first rejection of this fetch: what the caller sees when every variant is refused. */
  first: FinauthError | undefined;
}

/**
 * A client-authentication setting whose value is not the same at every server (the assertion
 * `aud`, the Basic credential encoding): the standard variant first, then each documented variant
 * once after an authentication rejection, the one that works remembered for the provider.
 *
 * The ladder is given anew at every attempt (`pick`), already resolved to wire values and without
 * duplicates, so a variant that equals one tried (no mTLS alias: the URL posted to is the token
 * endpoint) is not sent twice. Never used for anything that would weaken security: a variant
 * changes how the same credential is written, not which credential, algorithm, URL or TLS policy.
 */
export class AdaptiveSetting {
  /** The variant that last worked (undefined: the first of the ladder). */
  #remembered: string | undefined;
  #warned = false;
  readonly #fetches = new FetchStates<FetchState>();

  /** @param path where the setting sits in the provider config (`clientAuth.audience`), for messages. */
  constructor(
    readonly path: string,
    /** How many variants the ladder has at most: bounds the recoveries it may ask for. */
    readonly maxVariants: number,
  ) {}

  /** The variant to send in this attempt of `fetch`. */
  pick(fetch: object, candidates: readonly Candidate[]): Candidate {
    let state = this.#fetches.get(fetch);
    if (!state) {
      state = { current: this.#remembered, tried: new Set(), candidates, first: undefined };
      this.#fetches.set(fetch, state);
    }
    state.candidates = candidates;
    const chosen = byKey(candidates, state.current) ?? byKey(candidates, this.#remembered) ?? candidates[0]!;
    state.current = chosen.key;
    state.tried.add(chosen.value);
    return chosen;
  }

  /**
   * After a failed attempt: true when another variant should be tried. Throws the fetch's first
   * rejection when every variant was refused (the standard form's answer is the one to read).
   */
  recover(error: FinauthError, context: TokenCallContext): boolean {
    const state = this.#fetches.get(context.fetch);
    if (!state || !isAuthenticationRejection(error)) return false;
    state.first ??= error;
    const next = state.candidates.find((c) => !state.tried.has(c.value));
    if (next) {
      context.logger.info(`token endpoint refused the client authentication; trying ${this.path} ${next.key}`, { providerId: context.providerId, status: (error as { status?: number }).status, from: state.current, to: next.key });
      state.current = next.key;
      return true;
    }
    if (state.tried.size > 1) {
      this.#fetches.done(context.fetch);
      throw state.first;
    }
    return false;
  }

  /** After an accepted attempt: remembers the variant, and says so once when it is not the standard one. */
  accepted(context: TokenCallContext): void {
    const state = this.#fetches.get(context.fetch);
    this.#fetches.done(context.fetch);
    if (!state?.current) return;
    const from = this.#remembered ?? state.candidates[0]?.key;
    const to = byKey(state.candidates, state.current);
    if (!to || to.key === from) return;
    this.#remembered = to.key;
    try {
      context.telemetry.emit({ name: 'auth.adapted', providerId: context.providerId, attributes: { setting: this.path, from, to: to.key, pin: to.pin } });
    } catch {
      // Telemetry must never break token acquisition.
    }
    if (!this.#warned) {
      this.#warned = true;
      context.logger.warn(`${this.path}: the server refused "${from ?? ''}" and accepted "${to.key}"; finauth uses it from now on for this provider. Pin it in the provider config to skip the rejected attempt after a restart: ${to.pin}`, {
        providerId: context.providerId,
        setting: this.path,
        from,
        to: to.key,
      });
    }
  }

  /** The variant in use for new fetches (for doctor and tests). */
  get remembered(): string | undefined {
    return this.#remembered;
  }
}

/** The candidate named `key`: a loop, not `find` with a closure, on every token request's path. */
function byKey(candidates: readonly Candidate[], key: string | undefined): Candidate | undefined {
  if (key === undefined) return undefined;
  for (const candidate of candidates) if (candidate.key === key) return candidate;
  return undefined;
}
