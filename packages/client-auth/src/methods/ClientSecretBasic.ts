import type { FinauthError, TokenCallContext, TokenRequest } from '@finauth/core';
import { AdaptiveSetting, type Candidate } from '../adaptation/AdaptiveSetting.js';
import { pinFragment } from '../adaptation/pinFragment.js';
import { basicCredentials, sendableRaw, type CredentialEncoding } from '../secret/basicCredentials.js';
import type { ClientAuthentication } from './ClientAuthentication.js';

/** `auto`: RFC 6749's form-urlencoded first, raw after an authentication rejection. */
export type CredentialEncodingSetting = CredentialEncoding | 'auto';

/**
 * client_secret_basic: `Authorization: Basic base64(id:secret)`, nothing in the body. With
 * `auto` (the default), the RFC 6749 §2.3.1 encoding goes first; a server that compares the
 * header without form-url-decoding it (seed 002's gateway, some C servers) refuses a secret with
 * `+ / : %`, and then the raw encoding is tried once and remembered. Both go to the same URL.
 * @see RFC 6749 §2.3.1, RFC 7617 §2
 */
export class ClientSecretBasic implements ClientAuthentication {
  readonly method = 'client_secret_basic' as const;
  readonly recoveries: number;
  // Private fields, not properties made non-enumerable afterwards: as invisible to logging and
  // serialising, without redefining two properties of every instance (docs/performance.md, scale).
  readonly #credentials: readonly string[];
  readonly #candidates: readonly Candidate[];
  private readonly adaptive: AdaptiveSetting | undefined;

  /** @param path where the encoding is configured (`credentialEncoding`, `clientAuth.credentialEncoding`), for the pin message. */
  constructor(clientId: string, clientSecret: string, encoding: CredentialEncodingSetting, path: string) {
    const encodings: CredentialEncoding[] = encoding === 'auto' ? ['form-urlencoded', ...(sendableRaw(clientId) ? (['raw'] as const) : [])] : [encoding];
    const candidates: Candidate[] = [];
    for (const key of encodings) {
      const value = basicCredentials(clientId, clientSecret, key);
      // A secret of letters and digits encodes the same both ways: one variant, nothing to adapt.
      if (!candidates.some((c) => c.value === value)) candidates.push({ key, value, pin: pinFragment(path, key) });
    }
    this.#candidates = candidates;
    this.#credentials = candidates.map((c) => c.value);
    this.adaptive = candidates.length > 1 ? new AdaptiveSetting(path, candidates.length) : undefined;
    this.recoveries = candidates.length - 1;
  }

  /** Every credential this method may send: for the strategy's `secrets`. */
  get credentials(): readonly string[] {
    return this.#credentials;
  }

  apply(request: TokenRequest, moment: { readonly fetch?: object | undefined }): Promise<void> {
    const chosen = this.adaptive && moment.fetch ? this.adaptive.pick(moment.fetch, this.#candidates) : this.#candidates[0]!;
    // One authentication method per request (RFC 6749 §2.3): no client_id/client_secret in the body.
    request.body.delete('client_id');
    request.body.delete('client_secret');
    request.headers['authorization'] = `Basic ${chosen.value}`;
    return Promise.resolve();
  }

  recover(error: FinauthError, context: TokenCallContext): boolean {
    return this.adaptive?.recover(error, context) ?? false;
  }

  accepted(context: TokenCallContext): void {
    this.adaptive?.accepted(context);
  }

  /** The encoding new fetches start with (after adaptation, the one that worked). */
  get encoding(): CredentialEncoding {
    return (this.adaptive?.remembered ?? this.#candidates[0]!.key) as CredentialEncoding;
  }
}
