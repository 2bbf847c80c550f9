import type { FaultController } from './faults.js';
import type { RequestLog } from './requestLog.js';

/** Where the OP advertises `mtls_endpoint_aliases.token_endpoint` (RFC 8705 §5). */
export type MtlsAliasMode = 'other-port' | 'same-host' | 'none';

/** The two 401 bodies Apigee-fronted gateways are seen to return for a bad client. */
export type GatewayErrorStyle = 'apigee' | 'fault';

/**
 * Which `aud` values of a `private_key_jwt` assertion the OP accepts.
 * - `issuer` (default): FAPI 2.0 Security Profile §5.3.2.1 — `aud` must be the issuer identifier,
 *   as a single string (oidc-provider's FAPI 2.0 rule; an array is rejected even if it holds the issuer).
 * - `lenient`: oidc-provider's generic rule — the issuer, the token endpoint URL or the URL of the
 *   endpoint being called, as a string or inside an array.
 */
export type AssertionAudienceRule = 'issuer' | 'lenient';

export interface SandboxOptions {
  /** Lifetime of every access token, in seconds (both servers). Default 300. */
  tokenLifetimeSeconds?: number;
  /** Default `other-port`. */
  mtlsAlias?: MtlsAliasMode;
  /**
   * Strict OP: every OP listener requires a client certificate at the TLS handshake, and token
   * requests without `x-fapi-interaction-id` are rejected (400 invalid_request). Default false.
   */
  strict?: boolean;
  /** Default `apigee`. */
  gatewayErrorStyle?: GatewayErrorStyle;
  /** Default `issuer`. */
  assertionAudience?: AssertionAudienceRule;
}

export type ClientCertName = 'transport' | 'unregistered' | 'expired' | 'expiringSoon' | 'foreign';
/** `ps256Next` is registered for the PS256 client next to `ps256`: the key it rotates to (rotation tests). */
export type SigningKeyName = 'ps256' | 'ps256Next' | 'es256' | 'unregisteredSigning';

export interface CertFiles {
  /** PEM certificate file path. */
  cert: string;
  /** PKCS#8 PEM private key file path. */
  key: string;
}

export interface SigningKeyFiles {
  /** PKCS#8 PEM file path. */
  key: string;
  kid: string;
  alg: 'PS256' | 'ES256';
  publicJwk: Record<string, unknown>;
}

export interface Pki {
  /** File path of the CA certificate PEM: the one trust anchor clients need. */
  caCert: string;
  /** File path of the CA private key (PKCS#8 PEM), for tests that mint their own certificates. */
  caKey: string;
  serverCert: string;
  serverKey: string;
  clients: Record<ClientCertName, CertFiles>;
  signing: Record<SigningKeyName, SigningKeyFiles>;
  /** Subject DN of the `transport` certificate, as registered for the tls_client_auth client. */
  transportSubjectDn: string;
}

export interface OfpClients {
  ps256: { clientId: string };
  es256: { clientId: string };
  tlsClientAuth: { clientId: string };
  /** private_key_jwt (PS256, the ps256 signing key) with DPoP-bound tokens. */
  dpop: { clientId: string };
  /** Served by a second, non-FAPI oidc-provider instance (FAPI 2.0 forbids client secrets). */
  basic: { clientId: string; clientSecret: string; tokenEndpoint: string; issuer: string; discoveryUrl: string };
  /** client_secret_post on the same non-FAPI OP, same secret as `basic`; may request `accounts` only. */
  post: { clientId: string; clientSecret: string; tokenEndpoint: string };
}

export interface OfpStats {
  tokenRequests: { main: number; alias: number; basic: number };
}

export interface SandboxOfp {
  /** e.g. https://127.0.0.1:PORT, exactly as in the discovery document. */
  issuer: string;
  discoveryUrl: string;
  /** As advertised in `token_endpoint`. */
  tokenEndpoint: string;
  /** As advertised in `mtls_endpoint_aliases.token_endpoint`; absent when `mtlsAlias` is `none`. */
  mtlsTokenEndpoint?: string;
  introspectionEndpoint: string;
  /** GET /providers: a certificate-bound token and the certificate it is bound to are required. */
  resourceUrl: string;
  /**
   * DPoP (RFC 9449, oidc-provider's dPoP feature) for the `dpop` client: GET /dpop/providers wants a
   * DPoP-bound token with a proof for the request; server nonces can be demanded at the token
   * endpoint and at the resource (both off at start).
   */
  dpop: { resourceUrl: string; stats: { resourceRequests: number; nonceChallenges: number }; requireNonce(where: { tokenEndpoint?: boolean; resource?: boolean }): void };
  clients: OfpClients;
  /** Real RFC 7662 call, authenticated as an internal tls_client_auth client with the transport certificate. */
  introspect(accessToken: string): Promise<Record<string, unknown>>;
  stats: OfpStats;
  faults: FaultController;
  log: RequestLog;
}

export interface SandboxGateway {
  baseUrl: string;
  tokenEndpoint: string;
  helloUrl: string;
  clientId: string;
  /** Contains + / : % = and a space; the gateway accepts it only RAW (not form-urlencoded). */
  clientSecret: string;
  /** Scopes the gateway client may request (all of them when the request has none). */
  scopes: string[];
  stats: { tokenRequests: number };
  faults: FaultController;
  log: RequestLog;
  /** Switches the 401 body style at run time. */
  setErrorStyle(style: GatewayErrorStyle): void;
}

/** Key files of the SNAP BI partner (paths), and the public key the bank registered. */
export interface SnapKeys {
  /** The registered partner key, PKCS#1 PEM file (`BEGIN RSA PRIVATE KEY`). */
  privateKey: string;
  /** The same key, PKCS#8 PEM file. */
  privateKeyPkcs8: string;
  /** The public key the bank verifies with (SPKI PEM text, not a path). */
  publicKeyPem: string;
  /** A PKCS#8 PEM file of an RSA key the bank does not know. */
  wrongPrivateKey: string;
}

/** Indonesia's SNAP BI: the B2B access-token API and a protected balance inquiry. */
export interface SandboxSnapBank {
  baseUrl: string;
  /** `POST …/snap/v1.0/access-token/b2b`. */
  tokenEndpoint: string;
  /** `POST …/snap/v1.0/balance-inquiry`: a Bearer token from the token endpoint is required. */
  resourceUrl: string;
  /** The registered `X-CLIENT-KEY`. */
  clientKey: string;
  keys: SnapKeys;
  /** How far `X-TIMESTAMP` may be from the bank's clock (5 minutes). */
  timestampWindowMs: number;
  /** Token requests received (faulted ones included), tokens issued, balance calls. */
  stats: { tokenRequests: number; tokensIssued: number; resourceRequests: number };
  /** Faults for the token endpoint; a `status` fault without a body gets a SNAP body (`{status}7300`). */
  faults: FaultController;
  log: RequestLog;
  /** Moves the bank's clock by `ms` (positive: ahead of the client). */
  setClockOffset(ms: number): void;
  /** When on, a signature that fails verification is quoted back in `responseMessage` (a careless bank). */
  setEchoSignature(on: boolean): void;
}

export interface Sandbox {
  /** Temporary folder holding the PKI material; removed by stop(). */
  dir: string;
  pki: Pki;
  ofp: SandboxOfp;
  gateway: SandboxGateway;
  snap: SandboxSnapBank;
  /** Closes every server and socket, cancels pending fault timers, removes `dir`. */
  stop(): Promise<void>;
}
