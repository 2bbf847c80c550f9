import { ResponseFormatError, TokenEndpointError } from '../errors/index.js';
import type { HttpResponse } from '../http/HttpResponse.js';
import { parseRetryAfter } from '../http/retryAfter.js';
import type { AccessToken } from './AccessToken.js';

export interface TokenResponseContext {
  readonly providerId: string;
  /** Scope tokens asked for: the granted scope when the response omits `scope` (RFC 6749 §5.1). */
  readonly requestedScope: readonly string[];
  /** Local receive time (epoch ms): expiry is computed from it, never from a server's clock. */
  readonly receivedAt: number;
  /** A strategy's reading of a non-standard success body into RFC 6749 §5.1 shape. */
  readonly normalize?: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined;
  /**
   * Masks known secrets in server text. Applied before server text is shortened for a message, so
   * a secret cut in half at the length limit cannot leave its first half behind.
   */
  readonly scrub?: ((text: string) => string) | undefined;
}

/** Statuses that mean "try again later" (the OFP token endpoint OpenAPI description: 429 throttled, 502/504 upstream trouble). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** `expires_in` beyond ten years is not a lifetime but a bug or an attack on the cache. */
const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600;

/**
 * Checks a token endpoint's answer and turns it into an AccessToken, or throws the typed error it
 * calls for. A pure function of the response: no socket needed to test it.
 * @see RFC 6749 §5.1 (success) and §5.2 (error)
 */
export function parseTokenResponse(response: HttpResponse, context: TokenResponseContext): AccessToken {
  if (response.status < 200 || response.status > 299) throw tokenEndpointError(response, context);
  const interactionId = response.headers['x-fapi-interaction-id'];
  const fail = (what: string): ResponseFormatError =>
    new ResponseFormatError(`Token endpoint answered HTTP ${response.status} with ${what}`, { status: response.status, interactionId }, { providerId: context.providerId });

  const parsed = parseJsonObject(response.body);
  if (parsed === undefined) throw fail(describeBody(response));
  const body = context.normalize ? context.normalize(parsed) : parsed;
  return accessTokenFrom(
    { accessToken: body['access_token'], tokenType: body['token_type'], expiresIn: body['expires_in'], scope: body['scope'], raw: body },
    context,
    (what) => fail(what === 'accessToken' ? 'a JSON body without a string access_token' : FIELD_PROBLEMS[what]),
  );
}

/** The fields of a token answer, as received (unknown: checked by accessTokenFrom), whatever their names on the wire. */
export interface TokenFields {
  readonly accessToken: unknown;
  readonly tokenType: unknown;
  /** Seconds, as a number or a numeric string ("900"). */
  readonly expiresIn?: unknown;
  /** Space-separated granted scope; the requested scope when absent (RFC 6749 §5.1). */
  readonly scope?: unknown;
  /** The body as received: kept as `AccessToken.raw`. */
  readonly raw: Record<string, unknown>;
}

/** Which field of a token answer is unusable. */
export type TokenFieldProblem = 'accessToken' | 'tokenType' | 'expiresIn' | 'scope';

const FIELD_PROBLEMS: Record<Exclude<TokenFieldProblem, 'accessToken'>, string> = {
  tokenType: 'no token_type (RFC 6749 §5.1 requires it)',
  expiresIn: 'an expires_in that is not a non-negative number of seconds',
  scope: 'a scope that is not a string',
};

/**
 * Builds an AccessToken from a token answer's fields with core's rules (token type normalised,
 * lifetime from a number or numeric string, expiry from the local receive time), or throws
 * `fail(problem)`: a reader for a non-OAuth wire format (Strategy.readTokenResponse) maps its
 * field names and gets the same checks as RFC 6749 responses.
 */
export function accessTokenFrom(
  fields: TokenFields,
  context: Pick<TokenResponseContext, 'providerId' | 'requestedScope' | 'receivedAt'>,
  fail: (problem: TokenFieldProblem) => Error,
): AccessToken {
  const { accessToken, tokenType, scope } = fields;
  if (typeof accessToken !== 'string' || accessToken.length === 0) throw fail('accessToken');
  if (typeof tokenType !== 'string' || tokenType.trim() === '') throw fail('tokenType');
  const lifetime = readExpiresIn(fields.expiresIn);
  if (lifetime === 'invalid') throw fail('expiresIn');
  if (scope !== undefined && typeof scope !== 'string') throw fail('scope');

  const token: { -readonly [K in keyof AccessToken]: AccessToken[K] } = {
    providerId: context.providerId,
    accessToken,
    tokenType: normalizeTokenType(tokenType),
    scope: typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : [...context.requestedScope],
    raw: Object.freeze(fields.raw),
  };
  if (lifetime !== undefined) token.expiresAt = new Date(context.receivedAt + lifetime * 1000);
  return Object.freeze(token);
}

/** Any casing of "bearer", and gateways' "BearerToken" (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials"), mean RFC 6750 Bearer. */
export function normalizeTokenType(tokenType: string): string {
  if (tokenType === 'Bearer') return tokenType;
  const t = tokenType.trim();
  return /^bearer(token)?$/i.test(t) ? 'Bearer' : t;
}

/** `expires_in` as a number or a numeric string (the BNP Paribas CIB gateway sends "1799"). */
function readExpiresIn(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d{1,15}(\.\d+)?\s*$/.test(value)) n = Number(value);
  else return 'invalid';
  if (!Number.isFinite(n) || n < 0 || n > MAX_EXPIRES_IN_SECONDS) return 'invalid';
  return Math.floor(n);
}

/** The error an HTTP error status calls for, reading every error body shape finauth has met. */
export function tokenEndpointError(response: HttpResponse, context: Pick<TokenResponseContext, 'providerId' | 'receivedAt' | 'scrub'>): TokenEndpointError {
  const body = parseJsonObject(response.body);
  const fields = body ? readErrorFields(body, context.scrub ?? identity) : {};
  const status = response.status;
  const retryable = RETRYABLE_STATUSES.has(status);
  const code = fields.error ? ` ${fields.error}` : '';
  const detail = fields.errorDescription ?? fields.errors?.join('; ') ?? (body ? undefined : describeBody(response));
  const message = `Token endpoint answered HTTP ${status}${code}${detail ? `: ${detail}` : ''}`;
  return new TokenEndpointError(
    message,
    {
      status,
      ...fields,
      interactionId: response.headers['x-fapi-interaction-id'],
      retryable,
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], context.receivedAt),
    },
    { providerId: context.providerId },
  );
}

interface ErrorFields {
  error?: string;
  errorDescription?: string;
  errors?: string[];
}

/** RFC 6749 §5.2, the OFP token endpoint OpenAPI description's `{errors: [...]}`, Apigee's `{ErrorCode, Error}` and `{fault: {...}}`. */
function readErrorFields(body: Record<string, unknown>, scrub: (text: string) => string): ErrorFields {
  const out: ErrorFields = {};
  const clean = (text: string): string => shortenServerText(scrub(text));
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? clean(v) : undefined);
  const error = str(body['error']) ?? str(body['ErrorCode']);
  const description = str(body['error_description']) ?? str(body['Error']) ?? str(body['message']);
  if (error) out.error = error;
  if (description) out.errorDescription = description;
  if (Array.isArray(body['errors'])) {
    out.errors = body['errors'].slice(0, 20).map((e) => clean(typeof e === 'string' ? e : stringifyEntry(e)));
  }
  const fault = body['fault'];
  if (fault && typeof fault === 'object' && !Array.isArray(fault)) {
    const f = fault as Record<string, unknown>;
    const detail = f['detail'] as Record<string, unknown> | undefined;
    out.error ??= str(detail?.['errorcode']);
    out.errorDescription ??= str(f['faultstring']);
  }
  return out;
}

const identity = (text: string): string => text;

/** An entry nested a few thousand levels deep (30 KB of `{"a":`) overflows JSON.stringify's stack. */
function stringifyEntry(entry: unknown): string {
  try {
    return JSON.stringify(entry) ?? '';
  } catch {
    return '(an error entry too deeply nested to show)';
  }
}

/** Server text goes into messages: keep it short and free of control characters (log injection). */
export function shortenServerText(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** The body as a JSON object, or undefined (not JSON, or JSON that is not an object). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What a body that is not the expected JSON looks like, for a message (never the body itself). */
export function describeBody(response: HttpResponse): string {
  const type = response.headers['content-type'] ?? '';
  if (response.body.trim().length === 0) return 'an empty body';
  if (/html/i.test(type) || /^\s*</.test(response.body)) return 'an HTML page';
  return /json/i.test(type) ? 'malformed JSON' : `a body that is not JSON (${shortenServerText(type) || 'no content-type'})`;
}
