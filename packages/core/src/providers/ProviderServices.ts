import type { TokenCache } from '../cache/TokenCache.js';
import type { SecretResolver } from '../config/SecretResolver.js';
import type { TransportFactory } from '../http/Transport.js';
import type { Logger } from '../observability/Logger.js';
import type { Telemetry } from '../observability/Telemetry.js';
import type { Clock } from '../time/Clock.js';

/** The replaceable parts every provider of one instance shares (bound in its container). */
export interface ProviderServices {
  readonly cache: TokenCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  readonly transportFactory: TransportFactory;
  readonly secretResolver: SecretResolver;
}
