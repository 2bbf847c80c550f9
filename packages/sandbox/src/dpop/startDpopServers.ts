import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenHttps } from '../httpsListener.js';
import { Lifecycle } from '../lifecycle.js';
import { generatePki } from '../pki.js';
import { RequestLog } from '../requestLog.js';
import { generateSigningKey } from '../signingKey.js';
import { startDpopOp } from './dpopOp.js';
import { startOktaLike } from './oktaLike.js';
import type { SandboxDpop } from './types.js';

type Handler = Parameters<typeof listenHttps>[2];

/**
 * Two DPoP (RFC 9449) authorization servers with protected resources, on 127.0.0.1 and free
 * ports, with their own throwaway PKI: oidc-provider's DPoP feature and an Okta-like emulator.
 */
export async function startDpopServers(options: { tokenLifetimeSeconds?: number } = {}): Promise<SandboxDpop> {
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 300;
  const dir = await mkdtemp(join(tmpdir(), 'finauth-dpop-'));
  const lifecycle = new Lifecycle();
  const stop = async (): Promise<void> => {
    await lifecycle.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pki = await generatePki(dir);
    const [ca, cert, key] = await Promise.all([readFile(pki.caCert, 'utf8'), readFile(pki.serverCert, 'utf8'), readFile(pki.serverKey, 'utf8')]);
    const handlers: { op?: Handler; okta?: Handler } = {};
    const route = (name: 'op' | 'okta'): Handler => (req, res) => handlers[name]!(req, res);
    const [opListener, oktaListener, opKey] = await Promise.all([
      listenHttps({ ca, cert, key }, 'none', route('op'), lifecycle),
      listenHttps({ ca, cert, key }, 'none', route('okta'), lifecycle),
      generateSigningKey('ES256'),
    ]);
    const { op, handler: opHandler } = await startDpopOp({ origin: opListener.origin, tokenLifetimeSeconds, opSigningJwk: opKey.privateJwk, log: new RequestLog(), lifecycle });
    const { okta, handler: oktaHandler } = startOktaLike({ origin: oktaListener.origin, tokenLifetimeSeconds, log: new RequestLog(), lifecycle });
    handlers.op = opHandler;
    handlers.okta = oktaHandler;
    return { caCert: pki.caCert, op, okta, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
