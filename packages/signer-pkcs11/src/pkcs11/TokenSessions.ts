import pkcs11js from 'pkcs11js';
import { findSlot, type TokenSelector } from './findSlot.js';
import type { Pkcs11, Pkcs11Library } from './Pkcs11Library.js';
import { pkcs11Code } from './pkcs11Failure.js';

/** Why the token could not be opened: `pin` (refused or locked) or `token` (absent, unusable). */
export class TokenOpenError extends Error {
  constructor(
    message: string,
    readonly field: 'pin' | 'token',
    readonly pkcs11Code?: string,
  ) {
    super(message);
  }

  static is(value: unknown): value is TokenOpenError {
    return value instanceof TokenOpenError;
  }
}

interface Waiter {
  resolve(session: Lease): void;
  reject(error: unknown): void;
}

interface Lease {
  readonly handle: Buffer;
  readonly generation: number;
}

/**
 * The sessions of one token, shared by every signer of this process that uses it (five providers
 * on one HSM token log in once). PKCS#11 login state belongs to the application and the token, not
 * to a session: one C_Login covers every session opened after it, until the last one closes.
 *
 * A session runs one operation at a time (C_SignInit then C_Sign): each signature takes a session
 * from the pool and gives it back, so concurrent signatures never share one. `size` 1 serialises.
 * @see PKCS#11 v2.40 base §5.6 (session management), §6.7.1 (login state is per token)
 */
export class TokenSessions {
  #pin: string;
  private slot: Buffer;
  readonly label: string;
  private idle: Lease[] = [];
  private opened = 0;
  private busy = 0;
  private loggedIn = false;
  private closed = false;
  private readonly waiters: Waiter[] = [];
  private drained: (() => void) | undefined;
  /** Bumped when the sessions are found dead and reopened: leases of an older generation are dropped. */
  generation = 0;

  private constructor(
    private readonly library: Pkcs11Library,
    private readonly selector: TokenSelector,
    pin: string,
    public size: number,
  ) {
    this.#pin = pin;
    const found = findSlot(library.api, selector);
    if ('problem' in found) throw new TokenOpenError(found.problem, 'token');
    this.slot = found.slot;
    this.label = found.label;
    // Open one session now: a wrong PIN or a locked token is then a ConfigError at creation.
    this.idle.push(this.open());
  }

  /** Opens the token and logs in. Throws TokenOpenError (never with the PIN in its message). */
  static open(library: Pkcs11Library, selector: TokenSelector, pin: string, size: number): TokenSessions {
    return new TokenSessions(library, selector, pin, size);
  }

  get api(): Pkcs11 {
    return this.library.api;
  }

  /** True when `pin` is the PIN this token was opened with (one login per token and process). */
  samePin(pin: string): boolean {
    return pin === this.#pin;
  }

  /** Runs `fn` with a session of its own; waits for one when all `size` are busy. */
  async withSession<T>(fn: (session: Buffer, generation: number) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    this.busy += 1;
    try {
      return await fn(lease.handle, lease.generation);
    } finally {
      this.busy -= 1;
      this.release(lease);
    }
  }

  /** The slot the token sits in now (it may change after a reopen). */
  get slotId(): Buffer {
    return this.slot;
  }

  /** Runs synchronous work (finding a key, reading attributes) on an idle session, at creation. */
  withSessionSync<T>(fn: (session: Buffer) => T): T {
    const lease = this.idle.pop() ?? this.open();
    try {
      return fn(lease.handle);
    } finally {
      this.idle.push(lease);
    }
  }

  /**
   * The sessions are dead (token removed, HSM failed over): forget them, find the token again and
   * log in anew. Does nothing when another caller already reopened since `seenGeneration`.
   * Synchronous, so no other signature interleaves with it.
   */
  reopen(seenGeneration: number): void {
    if (this.closed) throw new TokenOpenError('the signer is closed', 'token');
    if (seenGeneration !== this.generation) return;
    this.generation += 1;
    for (const lease of this.idle) this.closeQuietly(lease.handle);
    this.idle = [];
    this.opened = 0;
    this.loggedIn = false;
    const found = findSlot(this.api, this.selector);
    if ('problem' in found) throw new TokenOpenError(found.problem, 'token');
    this.slot = found.slot;
    this.idle.push(this.open());
  }

  /** Waits for signatures in flight (the module must not be finalised under a worker thread), logs out, closes every session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new TokenOpenError('the signer is closed', 'token'));
    if (this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    const any = this.idle[0];
    if (any && this.loggedIn) this.quietly(() => this.api.C_Logout(any.handle));
    for (const lease of this.idle) this.closeQuietly(lease.handle);
    this.idle = [];
    this.#pin = '';
  }

  private async acquire(): Promise<Lease> {
    if (this.closed) throw new TokenOpenError('the signer is closed', 'token');
    const free = this.idle.pop();
    if (free) return free;
    if (this.opened < this.size) return this.open();
    return new Promise<Lease>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(lease: Lease): void {
    if (this.closed) {
      this.idle.push(lease);
      if (this.busy === 0) this.drained?.();
      return;
    }
    if (lease.generation === this.generation) {
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(lease);
      else this.idle.push(lease);
      return;
    }
    // A session of a dead generation: closed by reopen's reset already. Serve a waiter with a new one.
    this.closeQuietly(lease.handle);
    const waiter = this.waiters.shift();
    if (!waiter) return;
    try {
      waiter.resolve(this.idle.pop() ?? this.open());
    } catch (error) {
      waiter.reject(error);
    }
  }

  private open(): Lease {
    const handle = this.api.C_OpenSession(this.slot, pkcs11js.CKF_SERIAL_SESSION);
    if (!this.loggedIn) {
      try {
        this.api.C_Login(handle, pkcs11js.CKU_USER, this.#pin);
      } catch (error) {
        const code = pkcs11Code(error);
        if (code !== 'CKR_USER_ALREADY_LOGGED_IN') {
          this.closeQuietly(handle);
          throw loginError(code, this.label);
        }
      }
      this.loggedIn = true;
    }
    this.opened += 1;
    return { handle, generation: this.generation };
  }

  private closeQuietly(handle: Buffer): void {
    this.quietly(() => this.api.C_CloseSession(handle));
  }

  private quietly(fn: () => void): void {
    try {
      fn();
    } catch {
      // The token may be gone already; there is nothing left to release on it.
    }
  }
}

function loginError(code: string | undefined, label: string): TokenOpenError {
  switch (code) {
    case 'CKR_PIN_INCORRECT':
      return new TokenOpenError(`token "${label}" refused the PIN (CKR_PIN_INCORRECT); repeated failures lock the token`, 'pin', code);
    case 'CKR_PIN_LOCKED':
      return new TokenOpenError(`token "${label}" has locked its user PIN (CKR_PIN_LOCKED): the security officer must reset it`, 'pin', code);
    case 'CKR_PIN_EXPIRED':
      return new TokenOpenError(`token "${label}" says the PIN has expired (CKR_PIN_EXPIRED)`, 'pin', code);
    case 'CKR_PIN_LEN_RANGE':
      return new TokenOpenError(`token "${label}" refused the PIN: its length is out of the token's range (CKR_PIN_LEN_RANGE)`, 'pin', code);
    default:
      return new TokenOpenError(`cannot log in to token "${label}" (${code ?? 'unknown error'})`, 'token', code);
  }
}
