import { createHash, X509Certificate } from 'node:crypto';

/** Which certificate references a profile puts in the assertion's JOSE header. @see RFC 7515 §4.1.6–§4.1.8 */
export const CERTIFICATE_HEADER_MEMBERS = ['x5t#S256', 'x5t', 'x5c'] as const;
export type CertificateHeaderMember = (typeof CERTIFICATE_HEADER_MEMBERS)[number];

/** The DER bytes of each certificate in a PEM bundle, leaf first. */
export function certificateChainDer(pem: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => Buffer.from(new X509Certificate(block).raw));
}

/**
 * The header members `members` asks for, computed once from the signing certificate:
 * `x5t#S256` = base64url(SHA-256(DER)) (Entra's current docs), `x5t` = base64url(SHA-1(DER))
 * (Entra's older docs, Oracle IDCS), `x5c` = the chain as standard base64 DER, leaf first.
 * @see RFC 7515 §4.1.6 (x5c), §4.1.7 (x5t), §4.1.8 (x5t#S256)
 */
export function certificateHeader(chain: readonly Buffer[], members: readonly CertificateHeaderMember[]): Record<string, unknown> {
  const leaf = chain[0];
  if (!leaf) throw new Error('no certificate');
  const out: Record<string, unknown> = {};
  for (const member of members) {
    if (member === 'x5t#S256') out[member] = createHash('sha256').update(leaf).digest('base64url');
    else if (member === 'x5t') out[member] = createHash('sha1').update(leaf).digest('base64url');
    else out[member] = chain.map((der) => der.toString('base64'));
  }
  return out;
}
