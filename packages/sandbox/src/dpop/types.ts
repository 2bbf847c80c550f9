import type { Lifecycle } from '../lifecycle.js';
import type { RequestLog } from '../requestLog.js';

export interface DpopServerParams {
  readonly origin: string;
  readonly tokenLifetimeSeconds: number;
  readonly opSigningJwk: Record<string, unknown>;
  readonly log: RequestLog;
  readonly lifecycle: Lifecycle;
}

export interface DpopServerStats {
  tokenRequests: number;
  resourceRequests: number;
  /** 400/401 `use_dpop_nonce` answers sent. */
  nonceChallenges: number;
}

/** oidc-provider with DPoP: tokens, a resource, nonces switched on and off by the test. */
export interface SandboxDpopOp {
  issuer: string;
  tokenEndpoint: string;
  resourceUrl: string;
  /** A client_secret_basic client whose tokens are always DPoP-bound. */
  clientId: string;
  clientSecret: string;
  log: RequestLog;
  stats: DpopServerStats;
  /** Demand server nonces at the token endpoint and/or the resource (both off at start). */
  requireNonce(where: { tokenEndpoint?: boolean; resource?: boolean }): void;
}

/**
 * An Okta-like DPoP server: the first token request without a nonce gets 400 `use_dpop_nonce`
 * and a `DPoP-Nonce` header (as Okta answers service apps with DPoP on), tokens are opaque with
 * `token_type: "DPoP"` and `cnf.jkt` in the response, the resource demands a proof with `ath`.
 */
export interface SandboxOktaLike {
  issuer: string;
  tokenEndpoint: string;
  resourceUrl: string;
  clientId: string;
  clientSecret: string;
  log: RequestLog;
  stats: DpopServerStats;
}

export interface SandboxDpop {
  /** CA certificate PEM file path: the trust anchor of both servers. */
  caCert: string;
  op: SandboxDpopOp;
  okta: SandboxOktaLike;
  stop(): Promise<void>;
}
