import { Agent } from 'node:https';
import { ProxyTunnelAgent } from './proxy/ProxyTunnelAgent.js';
import { tlsAgentOptions } from './tlsAgentOptions.js';
import type { TransportOptions } from './Transport.js';

/**
 * A provider's one keep-alive agent: its TLS material in one SecureContext, and, when it goes
 * through an egress proxy, connections that are CONNECT tunnels carrying that same TLS end to end.
 */
export function providerAgent(options: TransportOptions): Agent {
  const agentOptions = tlsAgentOptions(options);
  return options.proxy ? new ProxyTunnelAgent(agentOptions, options.proxy, options.timeoutMs) : new Agent(agentOptions);
}
