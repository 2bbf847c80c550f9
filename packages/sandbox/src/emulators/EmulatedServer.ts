import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttps, type ClientCertPolicy, type TlsMaterial } from '../httpsListener.js';
import { FaultController } from '../faults.js';
import { sendJson } from '../jsonResponse.js';
import { Lifecycle } from '../lifecycle.js';
import { receiveRequest } from '../receiveRequest.js';
import { RequestLog } from '../requestLog.js';

/** Token requests an emulated server saw: every POST to a token path, and how many it refused. */
export interface EmulatorStats {
  tokenRequests: number;
  /** Refused client authentications (the requests a client that adapts makes before the one that works). */
  rejected: number;
  /** Why each refused request was refused, in order (never a credential). */
  reasons: string[];
}

/** A running emulator of one provider family's token endpoint. */
export interface EmulatedServer {
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly tokenEndpoint: string;
  /** `mtls_endpoint_aliases.token_endpoint`, when the server has one. */
  readonly mtlsTokenEndpoint?: string;
  readonly stats: EmulatorStats;
  readonly log: RequestLog;
  /** Faults injected into token requests (the other routes answer normally). */
  readonly faults: FaultController;
  stop(): Promise<void>;
}

/** The outcome of authenticating one token request. */
export type Authentication = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface EmulatorSpec {
  readonly tls: TlsMaterial;
  /** The discovery document's path under the origin. */
  readonly issuerPath: string;
  readonly tokenPath: string;
  readonly metadata: (urls: { issuer: string; tokenEndpoint: string; mtlsTokenEndpoint?: string }) => Record<string, unknown>;
  /** A second listener requiring a client certificate, serving the token path (RFC 8705 §5). */
  readonly mtlsAlias?: boolean;
  readonly clientCerts?: ClientCertPolicy;
  readonly authenticate: (req: IncomingMessage, form: URLSearchParams, urls: { tokenEndpoint: string }) => Promise<Authentication>;
  /** How the server answers a refused authentication. */
  readonly refuse: (res: ServerResponse, reason: string, req: IncomingMessage) => void;
  /** Checks after authentication (e.g. a required parameter); answers and returns true when it refused. */
  readonly afterAuthentication?: (form: URLSearchParams, res: ServerResponse) => boolean;
  readonly tokenResponse: (form: URLSearchParams) => Record<string, unknown>;
}

/** The plumbing the emulators share: listeners, discovery, the token route, counters, stop(). */
export async function startEmulatedServer(spec: EmulatorSpec): Promise<EmulatedServer> {
  const lifecycle = new Lifecycle();
  const log = new RequestLog();
  const faults = new FaultController();
  const stats: EmulatorStats = { tokenRequests: 0, rejected: 0, reasons: [] };
  let urls: { issuer: string; tokenEndpoint: string; mtlsTokenEndpoint?: string } | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, listener: string): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const isToken = path === spec.tokenPath && req.method === 'POST';
    const body = await receiveRequest(req, res, { listener, log, lifecycle, ...(isToken ? { faults } : {}) });
    if (!body || !urls) return;
    if (!isToken) {
      if (req.method === 'GET' && path === `${spec.issuerPath.replace(/\/$/, '')}/.well-known/openid-configuration`) sendJson(res, 200, spec.metadata(urls));
      else sendJson(res, 404, { error: 'not_found' });
      return;
    }
    stats.tokenRequests += 1;
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const outcome = await spec.authenticate(req, form, urls);
    if (!outcome.ok) {
      stats.rejected += 1;
      stats.reasons.push(outcome.reason);
      spec.refuse(res, outcome.reason, req);
      return;
    }
    if (spec.afterAuthentication?.(form, res)) return;
    sendJson(res, 200, { access_token: randomBytes(24).toString('base64url'), ...spec.tokenResponse(form) });
  };

  const main = await listenHttps(spec.tls, spec.clientCerts ?? 'none', (req, res) => handle(req, res, 'main'), lifecycle);
  const alias = spec.mtlsAlias ? await listenHttps(spec.tls, 'required', (req, res) => handle(req, res, 'alias'), lifecycle) : undefined;
  const issuer = `${main.origin}${spec.issuerPath}`;
  urls = { issuer, tokenEndpoint: `${main.origin}${spec.tokenPath}`, ...(alias ? { mtlsTokenEndpoint: `${alias.origin}${spec.tokenPath}` } : {}) };
  return {
    ...urls,
    discoveryUrl: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    stats,
    log,
    faults,
    stop: () => lifecycle.stop(),
  };
}
