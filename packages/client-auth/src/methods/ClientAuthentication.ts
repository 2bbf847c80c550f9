import type { TokenRequest } from '@finauth/core';
import type { ClientAuthMethod } from './clientAuthMethods.js';

/** When and where one token request goes: what an assertion is dated by and addressed to. */
export interface AuthenticationMoment {
  /** Seconds since the epoch, by the server's clock when a skew was measured. */
  readonly nowSeconds: number;
  /** The URL the request is sent to. */
  readonly tokenEndpoint: string;
}

/**
 * "Given the request being built, add what proves who I am." Nothing more: the endpoint, the
 * headers and the grant are the strategy's and core's.
 */
export interface ClientAuthentication {
  readonly method: ClientAuthMethod;
  apply(request: TokenRequest, moment: AuthenticationMoment): Promise<void>;
}
