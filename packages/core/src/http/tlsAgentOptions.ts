import { rootCertificates } from 'node:tls';
import type { AgentOptions } from 'node:https';
import type { TransportOptions } from './Transport.js';

/**
 * Agent options for a provider. `ca` extends Node's root store instead of replacing it, so a private
 * CA adds trust rather than silently removing the public roots. Hostname verification and
 * certificate checks are never switched off.
 */
export function tlsAgentOptions(options: TransportOptions): AgentOptions {
  const { tls, policy } = options;
  const agent: AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: 64,
    maxFreeSockets: 8,
    scheduling: 'lifo',
    minVersion: policy.minVersion ?? 'TLSv1.2',
    rejectUnauthorized: true,
  };
  if (policy.ciphers) agent.ciphers = policy.ciphers;
  if (tls.cert) agent.cert = tls.cert;
  if (tls.key) agent.key = tls.key;
  if (tls.passphrase) agent.passphrase = tls.passphrase;
  if (tls.ca) agent.ca = [...rootCertificates, tls.ca];
  return agent;
}
