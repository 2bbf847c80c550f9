export { RecordingLogger, type LogLine } from './recordingLogger.js';
export { RecordingTelemetry } from './recordingTelemetry.js';
export { rejection, everyRendering } from './rejection.js';
export { QUICK_RETRY } from './quickRetry.js';
export { sandboxSuite, type SandboxSuite } from './sandboxSuite.js';
export { gatewayProvider } from './providers/gateway.js';
export { fapiProvider, ofpBasicProvider, ofpPostProvider, type OfpFapiClient } from './providers/ofp.js';
export { snapProvider } from './providers/snap.js';
