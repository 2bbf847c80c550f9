import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultController } from './faults.js';
import { listenHttps, type TlsMaterial } from './httpsListener.js';
import { bearerToken, sendJson } from './jsonResponse.js';
import type { Lifecycle } from './lifecycle.js';
import { receiveRequest } from './receiveRequest.js';
import { RequestLog } from './requestLog.js';
import { snapAnswers, type SnapAnswer } from './snapResponses.js';
import type { SandboxSnapBank } from './types.js';

const TOKEN_PATH = '/snap/v1.0/access-token/b2b';
const BALANCE_PATH = '/snap/v1.0/balance-inquiry';
/** Balance inquiry is SNAP service 11. */
const BALANCE_SERVICE = '11';
const CLIENT_KEY = 'finauth-sandbox-snap-partner';
/** How far `X-TIMESTAMP` may be from the bank's clock, either way. */
export const SNAP_TIMESTAMP_WINDOW_MS = 5 * 60_000;

export interface SnapBankParams {
  tls: TlsMaterial;
  tokenLifetimeSeconds: number;
  /** The registered partner's public key (SPKI PEM). */
  publicKeyPem: string;
  lifecycle: Lifecycle;
}

/**
 * A SNAP BI bank (Bank Indonesia's Standar Nasional Open API Pembayaran): the B2B access-token
 * API, checked as the standard describes — JSON body `{"grantType":"client_credentials"}`,
 * `X-CLIENT-KEY`, `X-TIMESTAMP` within five minutes of the bank's clock, `X-SIGNATURE` verified
 * as SHA256withRSA over `clientKey|timestamp` with the registered public key — answering SNAP's
 * camelCase body and seven-digit response codes; and a protected balance inquiry.
 */
export async function startSnapBank(params: SnapBankParams): Promise<Omit<SandboxSnapBank, 'keys'>> {
  const faults = new FaultController();
  const log = new RequestLog();
  const stats = { tokenRequests: 0, tokensIssued: 0, resourceRequests: 0 };
  const tokens = new Map<string, number>();
  const publicKey: KeyObject = createPublicKey(params.publicKeyPem);
  let clockOffsetMs = 0;
  let echo = false;
  const now = (): number => Date.now() + clockOffsetMs;

  const send = (res: ServerResponse, answer: SnapAnswer): void => sendJson(res, answer.status, answer.body);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const isToken = path === TOKEN_PATH;
    if (isToken) stats.tokenRequests += 1;
    const body = await receiveRequest(req, res, {
      listener: 'snap',
      log,
      lifecycle: params.lifecycle,
      ...(isToken ? { faults, faultErrorBody: snapAnswers.forStatus } : {}),
    });
    if (!body) return;
    if (isToken) {
      const answer = issueToken(req, body);
      send(res, answer);
    } else if (path === BALANCE_PATH) {
      stats.resourceRequests += 1;
      balance(req, res);
    } else {
      sendJson(res, 404, { responseCode: '4040000', responseMessage: 'Not Found' });
    }
  };

  const issueToken = (req: IncomingMessage, body: Buffer): SnapAnswer => {
    if (req.method !== 'POST') return snapAnswers.invalidFieldFormat('HTTP method');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') return snapAnswers.invalidFieldFormat('Content-Type');
    const clientKey = header(req, 'x-client-key');
    const timestamp = header(req, 'x-timestamp');
    const signature = header(req, 'x-signature');
    if (!timestamp) return snapAnswers.invalidMandatoryField('X-TIMESTAMP');
    if (!clientKey) return snapAnswers.invalidMandatoryField('X-CLIENT-KEY');
    if (!signature) return snapAnswers.invalidMandatoryField('X-SIGNATURE');
    const instant = parseTimestamp(timestamp);
    if (instant === undefined) return snapAnswers.invalidFieldFormat('X-TIMESTAMP');
    if (clientKey !== CLIENT_KEY) return snapAnswers.unauthorized('Unknown client');
    if (Math.abs(now() - instant) > SNAP_TIMESTAMP_WINDOW_MS) return snapAnswers.unauthorized('X-TIMESTAMP is more than 5 minutes off');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature) || !verify('sha256', Buffer.from(`${clientKey}|${timestamp}`, 'utf8'), publicKey, Buffer.from(signature, 'base64'))) {
      // A careless bank quoting the request back: a client must not pass this text on unmasked.
      return snapAnswers.unauthorized(echo ? `Signature ${signature} does not verify for ${clientKey}|${timestamp}` : 'Signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return snapAnswers.badRequest();
    }
    const grantType = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['grantType'] : undefined;
    if (grantType === undefined || grantType === '') return snapAnswers.invalidMandatoryField('grantType');
    if (grantType !== 'client_credentials') return snapAnswers.invalidFieldFormat('grantType');
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, Date.now() + params.tokenLifetimeSeconds * 1000);
    stats.tokensIssued += 1;
    return {
      status: 200,
      body: { responseCode: '2007300', responseMessage: 'Successful', accessToken, tokenType: 'Bearer', expiresIn: String(params.tokenLifetimeSeconds) },
    };
  };

  const balance = (req: IncomingMessage, res: ServerResponse): void => {
    const token = bearerToken(req.headers.authorization);
    const expiresAt = token ? tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      send(res, snapAnswers.invalidToken(BALANCE_SERVICE));
      return;
    }
    sendJson(res, 200, { responseCode: '2001100', responseMessage: 'Successful', accountNo: '0000000001', accountInfos: [{ balanceType: 'Cash', availableBalance: { value: '1000000.00', currency: 'IDR' } }] });
  };

  const listener = await listenHttps(params.tls, 'none', handle, params.lifecycle);
  return {
    baseUrl: listener.origin,
    tokenEndpoint: `${listener.origin}${TOKEN_PATH}`,
    resourceUrl: `${listener.origin}${BALANCE_PATH}`,
    clientKey: CLIENT_KEY,
    timestampWindowMs: SNAP_TIMESTAMP_WINDOW_MS,
    stats,
    faults,
    log,
    setClockOffset(ms: number): void {
      clockOffsetMs = ms;
    },
    setEchoSignature(on: boolean): void {
      echo = on;
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.length > 0 ? text : undefined;
}

/** `YYYY-MM-DDTHH:mm:ss[.SSS]±HH:MM` (ISO 8601 with an explicit offset, as SNAP asks) to epoch ms. */
function parseTimestamp(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const utc = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(utc)) return undefined;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  return utc - (match[2] === '-' ? -1 : 1) * minutes * 60_000;
}
