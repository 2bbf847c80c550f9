import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from './gateway.js';
import { Lifecycle } from './lifecycle.js';
import { startOfp } from './ofp.js';
import { generatePki } from './pki.js';
import { startSnapBank } from './snapBank.js';
import { generateSnapKeys } from './snapKeys.js';
import type { Sandbox, SandboxOptions } from './types.js';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/**
 * Starts the throwaway PKI, the OFP-like FAPI 2.0 OP (+ its client_secret_basic sibling), the
 * BNP-style gateway and a SNAP BI bank, all on 127.0.0.1 and free ports. Call stop() when done.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1) {
    throw new RangeError(`tokenLifetimeSeconds must be a positive integer, got ${String(tokenLifetimeSeconds)}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'finauth-sandbox-'));
  const lifecycle = new Lifecycle();
  const stop = async (): Promise<void> => {
    await lifecycle.stop();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const [pki, snapKeys] = await Promise.all([generatePki(dir), generateSnapKeys(dir)]);
    const read = (path: string): Promise<string> => readFile(path, 'utf8');
    const [ca, serverCert, serverKey, transportCert, transportKey] = await Promise.all([
      read(pki.caCert),
      read(pki.serverCert),
      read(pki.serverKey),
      read(pki.clients.transport.cert),
      read(pki.clients.transport.key),
    ]);
    const tls = { ca, cert: serverCert, key: serverKey };
    const [ofp, gateway, snapBank] = await Promise.all([
      startOfp({
        tls,
        transport: { cert: transportCert, key: transportKey },
        ps256Jwk: pki.signing.ps256.publicJwk,
        ps256NextJwk: pki.signing.ps256Next.publicJwk,
        es256Jwk: pki.signing.es256.publicJwk,
        transportSubjectDn: pki.transportSubjectDn,
        tokenLifetimeSeconds,
        mtlsAlias: options.mtlsAlias ?? 'other-port',
        strict: options.strict ?? false,
        assertionAudience: options.assertionAudience ?? 'issuer',
        lifecycle,
      }),
      startGateway({
        tls,
        tokenLifetimeSeconds,
        errorStyle: options.gatewayErrorStyle ?? 'apigee',
        lifecycle,
      }),
      startSnapBank({ tls, tokenLifetimeSeconds, publicKeyPem: snapKeys.publicKeyPem, lifecycle }),
    ]);
    return { dir, pki, ofp, gateway, snap: { ...snapBank, keys: snapKeys }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
