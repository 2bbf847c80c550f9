export { startSandbox, DEFAULT_TOKEN_LIFETIME_SECONDS } from './sandbox.js';
export { generatePki, TRANSPORT_SUBJECT_DN } from './pki.js';
export { FaultController, type Fault, type FaultKind } from './faults.js';
export { RequestLog, type LoggedRequest } from './requestLog.js';
export { OFP_CLIENT_IDS, OFP_SCOPES, OFP_CLIENT_SCOPES } from './ofpClients.js';
export { INTERACTION_ID_HEADER } from './interactionId.js';
export { SNAP_TIMESTAMP_WINDOW_MS } from './snapBank.js';
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
  SandboxSnapBank,
  SnapKeys,
  SigningKeyFiles,
  SigningKeyName,
} from './types.js';
/** For tests that mint their own certificates (another CA, another host name). */
export { createCa, issueLeaf, daysFromNow, type AltName, type IssuedCertificate, type Validity, type LeafPurpose } from './certificate.js';
export { startSquid, type SquidOptions, type SquidProxy } from './squidProxy.js';
/** Emulators of provider families' token endpoints (issue 20): what each real counterpart checks. */
export { startEntraLike, type EntraLikeOptions } from './emulators/entraLike.js';
export { startAuth0Like, type Auth0LikeOptions } from './emulators/auth0Like.js';
export { startStrictServer, type StrictServerOptions } from './emulators/strictServer.js';
export { startStetLike, type StetLikeOptions } from './emulators/stetLike.js';
export type { EmulatedServer, EmulatorStats } from './emulators/EmulatedServer.js';
/** A plain OpenID Provider with one client per client authentication method (issue 20). */
export { startGenericOp, GENERIC_CLIENT_IDS, type GenericOp, type GenericOpOptions, type GenericMethod } from './genericOp.js';
export { startDpopServers } from './dpop/startDpopServers.js';
export type { SandboxDpop, SandboxDpopOp, SandboxOktaLike, DpopServerStats } from './dpop/types.js';
