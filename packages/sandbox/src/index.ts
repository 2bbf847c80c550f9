export { startSandbox, DEFAULT_TOKEN_LIFETIME_SECONDS } from './sandbox.js';
export { generatePki, TRANSPORT_SUBJECT_DN } from './pki.js';
export { FaultController, type Fault, type FaultKind } from './faults.js';
export { RequestLog, type LoggedRequest } from './requestLog.js';
export { OFP_CLIENT_IDS, OFP_SCOPES, OFP_CLIENT_SCOPES } from './ofpClients.js';
export { INTERACTION_ID_HEADER } from './interactionId.js';
export type {
  AssertionAudienceRule,
  CertFiles,
  ClientCertName,
  GatewayErrorStyle,
  MtlsAliasMode,
  OfpClients,
  OfpStats,
  Pki,
  Sandbox,
  SandboxGateway,
  SandboxOfp,
  SandboxOptions,
  SigningKeyFiles,
  SigningKeyName,
} from './types.js';
/** For tests that mint their own certificates (another CA, another host name). */
export { createCa, issueLeaf, daysFromNow, type IssuedCertificate, type Validity, type LeafPurpose } from './certificate.js';
export { startSquid, type SquidOptions, type SquidProxy } from './squidProxy.js';
export { startDpopServers } from './dpop/startDpopServers.js';
export type { SandboxDpop, SandboxDpopOp, SandboxOktaLike, DpopServerStats } from './dpop/types.js';
