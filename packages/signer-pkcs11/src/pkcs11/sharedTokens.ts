import type { TokenSelector } from './findSlot.js';
import { acquireLibrary, type Pkcs11Library } from './Pkcs11Library.js';
import { TokenOpenError, TokenSessions } from './TokenSessions.js';

interface Shared {
  readonly sessions: TokenSessions;
  readonly library: Pkcs11Library;
  users: number;
}

const tokens = new Map<string, Shared>();

/** A signer's hold on a token's shared sessions. */
export interface TokenLease {
  readonly sessions: TokenSessions;
  /** The last lease released logs out, closes the sessions and finalises the module. */
  release(): Promise<void>;
}

/**
 * The sessions of the token `selector` names in the module at `modulePath`, opened and logged in
 * once per process however many providers sign with it. The pool grows to the largest `sessions`
 * any of them asks for.
 * Throws TokenOpenError (field `pin` or `token`) or an Error about the module (field `module`).
 */
export function leaseToken(modulePath: string, selector: TokenSelector, pin: string, sessions: number): TokenLease {
  const key = JSON.stringify([modulePath, selector.tokenLabel ?? null, selector.tokenSerial ?? null]);
  let shared = tokens.get(key);
  if (shared) {
    // PKCS#11 logs the application in once per token: a second PIN would never be checked.
    if (!shared.sessions.samePin(pin)) throw new TokenOpenError(`differs from the PIN another provider of this process uses for token "${shared.sessions.label}" (one login per token and process)`, 'pin');
  } else {
    const library = acquireLibrary(modulePath);
    try {
      shared = { sessions: TokenSessions.open(library, selector, pin, sessions), library, users: 0 };
    } catch (error) {
      library.release();
      throw error;
    }
    tokens.set(key, shared);
  }
  shared.sessions.size = Math.max(shared.sessions.size, sessions);
  shared.users += 1;
  const held = shared;
  let released = false;
  return {
    sessions: held.sessions,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      if (tokens.get(key) === held) tokens.delete(key);
      await held.sessions.close();
      held.library.release();
    },
  };
}
