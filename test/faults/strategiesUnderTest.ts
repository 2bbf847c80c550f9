import { clientSecretBasic } from '@finauth/client-secret-basic';
import type { AccessToken } from '@finauth/core';
import { fapi2 } from '@finauth/fapi2';
import { snapBi } from '@finauth/snap-bi';
import type { FaultController, LoggedRequest, Sandbox } from '@finauth/sandbox';
import { gatewayProvider, snapProvider } from '@finauth-test/support';
import { bearerStatus } from '../support/bearerStatus.js';
import { fapiKeyJwt, fapiTlsAuth } from '../support/providers.js';
import { SLACK_MS, type FaultCase } from './faultCases.js';

/** One shipped strategy as the fault matrix drives it: how to configure it, fault it and observe it. */
export interface StrategyUnderTest {
  readonly name: string;
  readonly providerId: string;
  readonly module: () => ReturnType<typeof fapi2>;
  readonly provider: (sb: Sandbox, extra: Record<string, unknown>) => Record<string, unknown>;
  /** The fault controller in front of the token endpoint this provider calls. */
  readonly faults: (sb: Sandbox) => FaultController;
  /** Token requests that reached the server so far (including faulted ones). */
  readonly tokenRequests: (sb: Sandbox) => number;
  /** Token requests the server logged, to check what each attempt carried. */
  readonly tokenLog: (sb: Sandbox) => LoggedRequest[];
  /**
   * Attempts added after the retries are spent on a network failure or a timeout: fapi2's recover()
   * forgets the discovered metadata and tries once more, in case the token endpoint moved.
   */
  readonly rediscoveryAttempts: number;
  /** Discovery documents the server served so far (0 for a strategy with a static endpoint). */
  readonly discoveryRequests: (sb: Sandbox) => number;
  /** True when the server itself vouches for the token (introspection or a protected resource). */
  readonly isIssued: (sb: Sandbox, token: AccessToken) => Promise<boolean>;
  /** The case as this strategy's wire format makes it (SNAP BI: camelCase bodies, 5xx retried). */
  readonly adapt?: (c: FaultCase) => FaultCase;
}

/**
 * SNAP BI reads its own camelCase answer and retries the whole 5xx family (the standard's
 * `5007300` General Error is transient), so the OAuth-shaped cases are restated in its terms.
 */
function snapCase(c: FaultCase): FaultCase {
  const valid = { responseCode: '2007300', accessToken: 'fault-injected-token', tokenType: 'Bearer' };
  switch (c.name) {
    case '500, never retried':
      return { ...c, name: '500 (5007300), retried like every 5xx', outcome: { kind: 'error', errorClass: 'TokenEndpointError', fields: { status: 500, retryable: true, error: '5007300' } }, attempts: 3, maxMs: SLACK_MS };
    case 'a JSON 200 without access_token':
      return { ...c, faults: () => [{ kind: 'json', body: { responseCode: '2007300', tokenType: 'Bearer', expiresIn: '300' } }], outcome: { kind: 'error', errorClass: 'ResponseFormatError', fields: { status: 200 }, message: /accessToken/ } };
    case 'a negative expires_in':
      return { ...c, faults: () => [{ kind: 'json', body: { ...valid, expiresIn: '-300' } }], outcome: { kind: 'error', errorClass: 'ResponseFormatError', fields: { status: 200 }, message: /expiresIn/ } };
    case 'an absurd expires_in (10^12 s)':
      return { ...c, faults: () => [{ kind: 'json', body: { ...valid, expiresIn: 1e12 } }], outcome: { kind: 'error', errorClass: 'ResponseFormatError', fields: { status: 200 }, message: /expiresIn/ } };
    case 'an absurd expires_in as a string':
      return { ...c, faults: () => [{ kind: 'json', body: { ...valid, expiresIn: '999999999999999' } }], outcome: { kind: 'error', errorClass: 'ResponseFormatError', fields: { status: 200 }, message: /expiresIn/ } };
    default:
      return c;
  }
}

const ofpTokenRequests = (sb: Sandbox): number => sb.ofp.stats.tokenRequests.main + sb.ofp.stats.tokenRequests.alias;
const ofpTokenLog = (sb: Sandbox): LoggedRequest[] => sb.ofp.log.filter((r) => r.method === 'POST' && r.listener !== 'basic' && r.path.split('?')[0] === '/token');
const ofpDiscoveryRequests = (sb: Sandbox): number => sb.ofp.log.filter((r) => r.method === 'GET' && r.path.startsWith('/.well-known/')).length;
const introspectedActive = async (sb: Sandbox, token: AccessToken): Promise<boolean> => (await sb.ofp.introspect(token.accessToken))['active'] === true;

/** The sandbox's FAPI 2.0 OP, whichever client authentication the provider uses. */
const ofp = (name: string, providerId: string, provider: StrategyUnderTest['provider']): StrategyUnderTest => ({
  name,
  providerId,
  module: fapi2,
  provider,
  faults: (sb) => sb.ofp.faults,
  tokenRequests: ofpTokenRequests,
  tokenLog: ofpTokenLog,
  rediscoveryAttempts: 1,
  discoveryRequests: ofpDiscoveryRequests,
  isIssued: introspectedActive,
});

export const STRATEGIES: readonly StrategyUnderTest[] = [
  ofp('fapi2 private_key_jwt', 'ofp-pkjwt', fapiKeyJwt),
  ofp('fapi2 tls_client_auth', 'ofp-mtls', fapiTlsAuth),
  {
    name: 'client_secret_basic (BNP gateway)',
    providerId: 'bnp',
    module: clientSecretBasic,
    provider: gatewayProvider,
    faults: (sb) => sb.gateway.faults,
    tokenRequests: (sb) => sb.gateway.stats.tokenRequests,
    tokenLog: (sb) => sb.gateway.log.filter((r) => r.method === 'POST' && r.path.startsWith('/oauth2/v1/token')),
    rediscoveryAttempts: 0,
    discoveryRequests: () => 0,
    isIssued: async (sb, token) => (await bearerStatus(sb.gateway.helloUrl, token.accessToken, sb.pki.caCert)) === 200,
  },
  {
    name: 'snap_bi (SNAP BI bank)',
    providerId: 'snap',
    module: snapBi,
    provider: snapProvider,
    faults: (sb) => sb.snap.faults,
    tokenRequests: (sb) => sb.snap.stats.tokenRequests,
    tokenLog: (sb) => sb.snap.log.filter((r) => r.method === 'POST' && r.path.startsWith('/snap/v1.0/access-token/b2b')),
    rediscoveryAttempts: 0,
    discoveryRequests: () => 0,
    isIssued: async (sb, token) => (await bearerStatus(sb.snap.resourceUrl, token.accessToken, sb.pki.caCert)) === 200,
    adapt: snapCase,
  },
];
