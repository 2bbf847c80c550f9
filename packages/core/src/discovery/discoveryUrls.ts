/**
 * Where an issuer's metadata may be, in the order tried:
 * 1. OpenID Connect Discovery: `{issuer}/.well-known/openid-configuration` (trailing "/" removed);
 * 2. RFC 8414: `/.well-known/oauth-authorization-server` inserted between host and issuer path.
 * @see OpenID Connect Discovery 1.0 §4, RFC 8414 §3 and §3.1
 */
export function discoveryUrls(issuer: string): [string, string] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const origin = `${url.protocol}//${url.host}`;
  return [`${origin}${path}/.well-known/openid-configuration`, `${origin}/.well-known/oauth-authorization-server${path}`];
}
