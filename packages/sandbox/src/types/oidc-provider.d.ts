// oidc-provider ships no type declarations; this is the small part of its v9 API the sandbox uses
// (see its docs/README.md for the full configuration reference).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { TLSSocket } from 'node:tls';

  export interface OidcClient {
    clientId: string;
    clientAuthMethod: string;
  }

  /** The Koa context oidc-provider hands to configuration helpers. */
  export interface ProviderContext {
    req: IncomingMessage;
    socket: TLSSocket;
    oidc: {
      client?: OidcClient;
      route?: string;
      issuer: string;
    };
  }

  export interface ClientCredentialsToken {
    clientId: string;
    scope?: string;
    exp: number;
    isValid: boolean;
    'x5t#S256'?: string;
  }

  export type AdapterPayload = Record<string, unknown>;

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterConstructor = new (name: string) => Adapter;

  export interface Configuration {
    adapter?: AdapterConstructor;
    clients?: Record<string, unknown>[];
    jwks?: { keys: Record<string, unknown>[] };
    cookies?: { keys?: string[] };
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    clientAuthMethods?: string[];
    clientBasedCORS?: (ctx: ProviderContext, origin: string, client: OidcClient) => boolean;
    ttl?: Record<string, number | ((ctx: ProviderContext, token: unknown, client: OidcClient) => number)>;
    discovery?: Record<string, unknown>;
    assertJwtClientAuthClaimsAndHeader?: (
      ctx: ProviderContext,
      claims: Record<string, unknown>,
      header: Record<string, unknown>,
      client: OidcClient,
    ) => Promise<void>;
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      introspection?: {
        enabled: boolean;
        allowedPolicy?: (ctx: ProviderContext, client: OidcClient, token: ClientCredentialsToken) => Promise<boolean>;
      };
      revocation?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      rpInitiatedLogout?: { enabled: boolean };
      mTLS?: {
        enabled: boolean;
        certificateBoundAccessTokens?: boolean;
        tlsClientAuth?: boolean;
        selfSignedTlsClientAuth?: boolean;
        getCertificate?: (ctx: ProviderContext) => import('node:crypto').X509Certificate | string | undefined;
        certificateAuthorized?: (ctx: ProviderContext) => boolean;
        certificateSubjectMatches?: (ctx: ProviderContext, property: string, expected: string) => boolean;
      };
      fapi?: { enabled: boolean; profile?: '2.0' | '1.0 Final' };
    };
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    ClientCredentials: {
      find(value: string, options?: { ignoreExpiration?: boolean }): Promise<ClientCredentialsToken | undefined>;
    };
  }

  export default Provider;
}
