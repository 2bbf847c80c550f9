import { createFinauth, type Clock, type Finauth, type Logger, type Telemetry, type UncheckedProviderConfig } from '@finauth/core';
import { fapi2 } from '../../src/index.js';
import { FakeTransport, ISSUER, standardServer } from './FakeTransport.js';
import { rsaKey, transportCertificate } from './material.js';

export interface Built {
  readonly auth: Finauth;
  readonly transport: FakeTransport;
}

/** A fapi2 provider over a FakeTransport (bound through core's transportFactory option). */
export function buildProvider(
  options: {
    provider?: Record<string, unknown>;
    clientAuth?: Record<string, unknown>;
    transport?: FakeTransport;
    clock?: Clock;
    telemetry?: Telemetry;
    logger?: Logger;
  } = {},
): Built {
  const transport = options.transport ?? new FakeTransport(standardServer);
  const tls = transportCertificate();
  const auth = createFinauth({
    strategies: [fapi2()],
    transportFactory: transport.factory(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    providers: [
      {
        id: 'ofp',
        strategy: 'fapi2',
        issuer: ISSUER,
        clientId: 'client-123',
        clientAuth: options.clientAuth ?? { method: 'private_key_jwt', signingKey: defaultKey().privatePem, kid: 'k1' },
        tls: { cert: tls.cert, key: tls.key },
        scope: 'accounts',
        retry: { baseDelayMs: 1, maxDelayMs: 5000 },
        ...options.provider,
      } as UncheckedProviderConfig,
    ],
  });
  return { auth, transport };
}

let key: ReturnType<typeof rsaKey> | undefined;
export function defaultKey(): ReturnType<typeof rsaKey> {
  key ??= rsaKey();
  return key;
}
