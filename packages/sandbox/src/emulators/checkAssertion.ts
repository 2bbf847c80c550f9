import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Clock tolerance a server grants (the FAPI WG's "should tolerate 60 s"). */
const SKEW_SECONDS = 60;

/** What one emulated server checks in a client assertion, as its real counterpart does. */
export interface AssertionRules {
  readonly clientId: string;
  readonly publicKey: KeyObject;
  /** Header `alg` values accepted. */
  readonly algs: readonly string[];
  /** Whether `aud` is one the server accepts (string or array, as the server reads it). */
  readonly audience: (aud: unknown) => boolean;
  /** `exp - iat` at most this (Auth0: 300); `iat` then required. */
  readonly maxLifetimeSeconds?: number;
  /** Extra header checks (Entra's `x5t#S256`): a reason to refuse, or undefined. */
  readonly header?: (header: Record<string, unknown>) => string | undefined;
}

/**
 * Checks a private_key_jwt request (RFC 7523 §3): assertion type, signature (with the registered
 * key, only the registered algorithms), `iss` = `sub` = client id, `aud`, `exp`/`nbf`, lifetime,
 * single-use `jti`. Returns why it is refused, or undefined when it is accepted.
 */
export async function checkAssertion(form: URLSearchParams, rules: AssertionRules, seenJti: Set<string>, nowSeconds: number): Promise<string | undefined> {
  if (form.get('client_assertion_type') !== JWT_BEARER) return 'client_assertion_type is not jwt-bearer';
  const assertion = form.get('client_assertion');
  if (!assertion) return 'no client_assertion';
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
  } catch {
    return 'client_assertion is not a JWS';
  }
  if (!rules.algs.includes(String(header['alg']))) return `alg ${String(header['alg'])} not accepted`;
  const headerProblem = rules.header?.(header);
  if (headerProblem) return headerProblem;
  let claims: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(assertion, rules.publicKey, { algorithms: [...rules.algs] });
    claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'signature does not verify with the registered key';
  }
  if (claims['iss'] !== rules.clientId || claims['sub'] !== rules.clientId) return 'iss/sub is not the client id';
  if (form.has('client_id') && form.get('client_id') !== rules.clientId) return 'client_id mismatch';
  if (!rules.audience(claims['aud'])) return 'aud not accepted';
  const exp = claims['exp'];
  if (typeof exp !== 'number' || exp + SKEW_SECONDS < nowSeconds) return 'expired or no exp';
  const nbf = claims['nbf'];
  if (typeof nbf === 'number' && nbf - SKEW_SECONDS > nowSeconds) return 'not yet valid';
  if (rules.maxLifetimeSeconds !== undefined) {
    const iat = claims['iat'];
    if (typeof iat !== 'number') return 'no iat';
    if (exp - iat > rules.maxLifetimeSeconds) return `lifetime ${exp - iat} s exceeds ${rules.maxLifetimeSeconds} s`;
  }
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti.length === 0) return 'no jti';
  if (seenJti.has(jti)) return 'jti replayed';
  seenJti.add(jti);
  return undefined;
}
