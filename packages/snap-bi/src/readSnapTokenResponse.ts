import {
  accessTokenFrom,
  describeBody,
  parseJsonObject,
  parseRetryAfter,
  ResponseFormatError,
  shortenServerText,
  TokenEndpointError,
  type AccessToken,
  type HttpResponse,
  type TokenFieldProblem,
  type TokenResponseContext,
} from '@finauth/core';
import { isRetryable, isSuccessCode } from './responseCodes.js';

const FIELD_PROBLEMS: Record<TokenFieldProblem, string> = {
  accessToken: 'no string accessToken',
  tokenType: 'no tokenType',
  expiresIn: 'an expiresIn that is not a non-negative number of seconds',
  scope: 'a scope that is not a string',
};

/**
 * Reads a SNAP B2B access-token answer: `{responseCode, responseMessage, accessToken, tokenType,
 * expiresIn}` with `expiresIn` a string of seconds ("900"). Success needs a 2xx HTTP status and,
 * when present, a `200xxxx` responseCode; anything else is a TokenEndpointError whose `error` is
 * the responseCode and whose `retryable` follows its family (5xx, 429). The whole body is kept
 * as `AccessToken.raw`. A pure function of the response.
 */
export function readSnapTokenResponse(response: HttpResponse, context: TokenResponseContext): AccessToken {
  const body = parseJsonObject(response.body);
  const code = typeof body?.['responseCode'] === 'string' ? body['responseCode'] : typeof body?.['responseCode'] === 'number' ? String(body['responseCode']) : undefined;
  const ok = response.status >= 200 && response.status <= 299;
  if (!ok || (code !== undefined && !isSuccessCode(code))) throw snapError(response, body, code, context);
  if (!body) throw new ResponseFormatError(`SNAP token endpoint answered HTTP ${response.status} with ${describeBody(response)}`, { status: response.status }, { providerId: context.providerId });
  return accessTokenFrom(
    { accessToken: body['accessToken'], tokenType: body['tokenType'], expiresIn: body['expiresIn'], raw: body },
    context,
    (problem) => new ResponseFormatError(`SNAP token endpoint answered HTTP ${response.status}${code ? ` ${code}` : ''} with ${FIELD_PROBLEMS[problem]}`, { status: response.status }, { providerId: context.providerId }),
  );
}

function snapError(response: HttpResponse, body: Record<string, unknown> | undefined, code: string | undefined, context: TokenResponseContext): TokenEndpointError {
  const scrub = context.scrub ?? ((text: string): string => text);
  const rawMessage = body?.['responseMessage'];
  const description = typeof rawMessage === 'string' && rawMessage.length > 0 ? shortenServerText(scrub(rawMessage)) : undefined;
  const shownCode = code === undefined ? undefined : shortenServerText(scrub(code));
  const detail = description ?? (body ? undefined : describeBody(response));
  return new TokenEndpointError(
    `SNAP token endpoint answered HTTP ${response.status}${shownCode ? ` ${shownCode}` : ''}${detail ? `: ${detail}` : ''}`,
    {
      status: response.status,
      error: shownCode,
      errorDescription: description,
      retryable: isRetryable(code, response.status),
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], context.receivedAt),
    },
    { providerId: context.providerId },
  );
}
