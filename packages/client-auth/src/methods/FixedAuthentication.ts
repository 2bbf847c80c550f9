import type { TokenCallContext } from '@finauth/core';

/** The adaptation half of ClientAuthentication for a method with nothing that adapts. */
export abstract class FixedAuthentication {
  readonly recoveries: number = 0;

  recover(): boolean {
    return false;
  }

  accepted(_context: TokenCallContext): void {
    // Nothing adapts.
  }
}
