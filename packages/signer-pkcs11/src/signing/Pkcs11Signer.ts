import type { JsonWebKey } from 'node:crypto';
import { headerFor } from '@finauth/client-auth';
import { SignerError } from '../errors/SignerError.js';
import { findPrivateKey, type KeySelector } from '../pkcs11/findKey.js';
import { describePkcs11Error, isTokenGone, pkcs11Code } from '../pkcs11/pkcs11Failure.js';
import type { TokenLease } from '../pkcs11/sharedTokens.js';
import { TokenOpenError } from '../pkcs11/TokenSessions.js';
import type { Pkcs11Alg } from './algorithms.js';
import type { SignRecipe } from './mechanisms.js';

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export interface Pkcs11SignerSettings {
  readonly alg: Pkcs11Alg;
  readonly kid?: string | undefined;
  readonly key: KeySelector;
  readonly keyHandle: Buffer;
  readonly recipe: SignRecipe;
  readonly publicJwk: JsonWebKey | undefined;
  /** The certificate stored with the key (same CKA_ID), DER. */
  readonly certificate?: Buffer | undefined;
  readonly providerId?: string | undefined;
}

/**
 * A finauth Signer whose private key stays in a PKCS#11 token: the JWS signing input (or its
 * SHA-256 digest) goes to the token, the signature comes back. Signatures run on libuv's worker
 * threads (C_Sign's async form), each on a session of its own from the token's pool.
 *
 * When the module says the session or token is gone (CKR_SESSION_HANDLE_INVALID,
 * CKR_DEVICE_REMOVED, ...), the sessions are reopened and the signature tried once more; if the
 * token is still not there, the call fails with SignerError `token_unavailable`.
 */
export class Pkcs11Signer {
  readonly alg: Pkcs11Alg;
  readonly kid?: string;
  private keyHandle: Buffer;
  private keyGeneration: number;
  private closed = false;

  constructor(
    private readonly lease: TokenLease,
    private readonly settings: Pkcs11SignerSettings,
  ) {
    this.alg = settings.alg;
    if (settings.kid !== undefined) this.kid = settings.kid;
    this.keyHandle = settings.keyHandle;
    this.keyGeneration = lease.sessions.generation;
  }

  /** The token's label (doctor prints it; not a secret). */
  get tokenLabel(): string {
    return this.lease.sessions.label;
  }

  /** The mechanism used, e.g. "CKM_RSA_PKCS_PSS over a SHA-256 digest". */
  get mechanism(): string {
    return this.settings.recipe.description;
  }

  /**
   * The compact JWS of `payload` under `header`, `alg` always this signer's.
   * @see RFC 7515 §5.1 (JWS compact serialization)
   */
  async sign(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<string> {
    const input = `${b64url(JSON.stringify(headerFor(this, header)))}.${b64url(JSON.stringify(payload))}`;
    const signature = await this.signBytes(Buffer.from(input, 'ascii'));
    return `${input}.${b64url(signature)}`;
  }

  /** The public key as a JWK (no private members), as the token holds it. */
  async publicJwk(): Promise<JsonWebKey> {
    if (!this.settings.publicJwk) throw new SignerError(`token "${this.tokenLabel}" holds no public key or certificate for this key`, { reason: 'sign_failed' }, { providerId: this.settings.providerId });
    return { ...this.settings.publicJwk, ...(this.kid !== undefined ? { kid: this.kid } : {}), alg: this.alg, use: 'sig' };
  }

  /** The certificate the token holds beside the key (same CKA_ID), DER; undefined when none. doctor compares it with the key. */
  async certificate(): Promise<Buffer | undefined> {
    return this.settings.certificate;
  }

  /** The raw signature of `data` (what rawSigner-style callers want): r || s for ES256. */
  async signBytes(data: Buffer): Promise<Buffer> {
    if (this.closed) throw this.error('the signer is closed', 'closed');
    const sessions = this.lease.sessions;
    let seen = sessions.generation;
    try {
      return await this.attempt(data, (g) => (seen = g));
    } catch (error) {
      // A session that cannot be opened (token absent) counts as gone too: reopen finds the slot anew.
      const gone = TokenOpenError.is(error) ? error.field === 'token' : isTokenGone(error);
      if (!gone) throw this.wrap(error);
    }
    // The token went away under us: reopen (find it again, log in again) and try once more.
    try {
      sessions.reopen(seen);
    } catch (error) {
      throw this.wrap(error, 'token_unavailable');
    }
    try {
      return await this.attempt(data, () => undefined);
    } catch (error) {
      throw this.wrap(error);
    }
  }

  /** Releases this signer's hold on the token; the last signer of a token logs out and finalises the module. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lease.release();
  }

  /** What logs and JSON show: never the PIN (the signer holds none itself: the token's sessions do, privately). */
  toJSON(): Record<string, unknown> {
    return { type: 'pkcs11', alg: this.alg, kid: this.kid, tokenLabel: this.tokenLabel, key: this.settings.key };
  }

  private attempt(data: Buffer, onGeneration: (g: number) => void): Promise<Buffer> {
    const { recipe } = this.settings;
    const input = recipe.prepare(data);
    return this.lease.sessions.withSession(async (session, generation) => {
      onGeneration(generation);
      const api = this.lease.sessions.api;
      if (this.keyGeneration !== generation) {
        // Object handles do not survive a reopen: find the key again.
        const found = findPrivateKey(api, session, this.settings.key, this.tokenLabel);
        if ('problem' in found) throw new TokenOpenError(found.problem, 'token');
        this.keyHandle = found.handle;
        this.keyGeneration = generation;
      }
      api.C_SignInit(session, recipe.mechanism, this.keyHandle);
      return api.C_SignAsync(session, input, Buffer.alloc(recipe.signatureLength));
    });
  }

  private wrap(error: unknown, reason?: 'token_unavailable'): SignerError {
    if (SignerError.is(error)) return error;
    const code = TokenOpenError.is(error) ? error.pkcs11Code : pkcs11Code(error);
    const gone = reason ?? (TokenOpenError.is(error) || isTokenGone(error) ? 'token_unavailable' : 'sign_failed');
    const what = gone === 'token_unavailable' ? `token "${this.tokenLabel}" is not available` : `token "${this.tokenLabel}" refused to sign with ${this.settings.recipe.description}`;
    return this.error(`${what} (${TokenOpenError.is(error) ? error.message : describePkcs11Error(error)})`, error instanceof TokenOpenError && error.message === 'the signer is closed' ? 'closed' : gone, code);
  }

  private error(message: string, reason: 'token_unavailable' | 'sign_failed' | 'closed', code?: string): SignerError {
    return new SignerError(message, { reason, pkcs11Code: code }, { providerId: this.settings.providerId });
  }
}
