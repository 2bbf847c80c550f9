export { openTelemetry, type OpenTelemetryOptions } from './openTelemetry.js';
export { ATTR as FINAUTH_ATTRIBUTES } from './attributes.js';
