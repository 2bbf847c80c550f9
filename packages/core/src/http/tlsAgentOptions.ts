import { createSecureContext, rootCertificates, type SecureContextOptions } from 'node:tls';
import type { AgentOptions } from 'node:https';
import type { TransportOptions } from './Transport.js';

/**
 * TLS 1.2 suites every provider gets unless its strategy is stricter: forward-secret ECDHE with
 * AEAD ciphers only, as BCP 195 recommends; no CBC, no static RSA key exchange. Node's default list
 * would accept `HIGH`, CBC suites included. TLS 1.3 suites stay Node's defaults, all AEAD.
 * @see RFC 9325 (BCP 195) §4.2
 */
export const DEFAULT_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * Agent options for a provider. `ca` extends Node's root store instead of replacing it, so a private
 * CA adds trust rather than silently removing the public roots. Hostname verification and
 * certificate checks are never switched off.
 *
 * The TLS material goes into one SecureContext built here, not into the agent's options: https.Agent
 * names its connection pool on every request by concatenating those options — PEM strings and, with
 * a private CA, some 140 root certificates — which profiling showed to be a fifth of a cold token
 * request's CPU (docs/performance.md).
 */
export function tlsAgentOptions(options: TransportOptions): AgentOptions {
  const { tls, policy } = options;
  const agent: AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: 64,
    // As many idle connections kept as may be open: with fewer, a burst of concurrent calls to one
    // bank (token fetches for several scopes, http() calls) closed the connections above the limit
    // as each answer came and paid a mutual-TLS handshake for each on the next burst.
    maxFreeSockets: 64,
    scheduling: 'lifo',
    rejectUnauthorized: true,
  };
  const material: SecureContextOptions = { minVersion: policy.minVersion ?? 'TLSv1.2', ciphers: policy.ciphers ?? DEFAULT_TLS12_CIPHERS };
  if (tls.cert) material.cert = tls.cert;
  if (tls.key) material.key = tls.key;
  if (tls.passphrase) material.passphrase = tls.passphrase;
  if (tls.ca) material.ca = [...rootCertificates, tls.ca];
  try {
    return { ...agent, secureContext: createSecureContext(material) };
  } catch {
    // Material OpenSSL refuses (a key that does not match its certificate): each connection then
    // fails with its own TLS error, a TransportError, as it would against the bank.
    return { ...agent, ...material };
  }
}
