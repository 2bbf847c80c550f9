import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinauth, type Finauth, type TelemetryEvent } from '@finauth/core';
import { generatePki, type Pki } from '@finauth/sandbox';
import { RecordingLogger, RecordingTelemetry, type LogLine } from '@finauth-test/support';
import { oauth2 } from '../../src/index.js';

export interface TestPki {
  readonly pki: Pki;
  readonly tls: { key: string; cert: string; ca: string };
  readonly read: (path: string) => string;
  readonly dispose: () => void;
}

/** The sandbox's throwaway PKI in a temporary folder: server TLS material for the emulators, client keys and certificates. */
export async function testPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-oauth2-'));
  const pki = await generatePki(dir);
  const read = (path: string): string => readFileSync(path, 'utf8');
  return { pki, tls: { key: read(pki.serverKey), cert: read(pki.serverCert), ca: read(pki.caCert) }, read, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An RSA key and a self-signed certificate over it (an Entra app's certificate credential). */
export function rsaCertificate(subject = '/CN=finauth-entra-app'): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Recorded {
  readonly auth: Finauth;
  readonly events: TelemetryEvent[];
  readonly lines: LogLine[];
  /** Everything logged, as one string (to search for secrets). */
  logText(): string;
}

/** One oauth2 provider with a recording logger and telemetry. */
export function connect(provider: Record<string, unknown>): Recorded {
  const telemetry = new RecordingTelemetry();
  const logger = new RecordingLogger();
  const auth = createFinauth({ strategies: [oauth2()], providers: [{ id: 'p', strategy: 'oauth2', retry: { maxRetries: 0 }, ...provider }], logger, telemetry });
  return { auth, events: telemetry.events, lines: logger.lines, logText: () => logger.text() };
}
