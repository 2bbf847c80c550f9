import type { FinauthError, TokenCallContext, TokenRequest } from '@finauth/core';
import type { ClientAuthMethod } from './clientAuthMethods.js';

/** When and where one token request goes: what an assertion is dated by and addressed to. */
export interface AuthenticationMoment {
  /** Seconds since the epoch, by the server's clock when a skew was measured. */
  readonly nowSeconds: number;
  /** The URL the request is sent to (the mTLS alias when one is used). */
  readonly tokenEndpoint: string;
  /** The token endpoint without the mTLS alias (`token_endpoint` of the metadata), when it differs. */
  readonly nonAliasTokenEndpoint?: string | undefined;
  /** The fetch this attempt belongs to (`TokenCallContext.fetch`): which variant of an adaptive setting it sends. */
  readonly fetch?: object | undefined;
}

/**
 * "Given the request being built, add what proves who I am." Nothing more: the endpoint, the
 * headers and the grant are the strategy's and core's.
 *
 * A method with a setting that adapts (the assertion audience, the Basic encoding) also answers
 * the pipeline's `recover` (try the next variant) and hears of accepted attempts (remember it);
 * a strategy forwards both and counts `recoveries` into its `maxRecoveries`.
 */
export interface ClientAuthentication {
  readonly method: ClientAuthMethod;
  apply(request: TokenRequest, moment: AuthenticationMoment): Promise<void>;
  /** How many extra attempts adaptation may need in one fetch (0 when nothing adapts). */
  readonly recoveries: number;
  /** After an authentication rejection: true to try the next variant; throws the first rejection once all are refused. */
  recover(error: FinauthError, context: TokenCallContext): boolean;
  /** After a 2xx answer: the variant sent is the one that works. */
  accepted(context: TokenCallContext): void;
}
