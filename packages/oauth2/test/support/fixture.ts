import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinauth, type Finauth, type Logger, type TelemetryEvent } from '@finauth/core';
import { generatePki, type Pki } from '@finauth/sandbox';
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
  readonly lines: { level: string; message: string; fields?: Readonly<Record<string, unknown>> }[];
  /** Everything logged, as one string (to search for secrets). */
  logText(): string;
}

/** One oauth2 provider with a recording logger and telemetry. */
export function connect(provider: Record<string, unknown>): Recorded {
  const events: TelemetryEvent[] = [];
  const lines: Recorded['lines'] = [];
  const at = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const auth = createFinauth({ strategies: [oauth2()], providers: [{ id: 'p', strategy: 'oauth2', retry: { maxRetries: 0 }, ...provider }], logger, telemetry: { emit: (e) => void events.push(e) } });
  return { auth, events, lines, logText: () => JSON.stringify(lines) };
}

/** Runs `action` and returns what it threw; fails the test when it did not throw. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** Every way an error can be shown: message, JSON (toJSON), stack, cause. */
export function everyRendering(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [String(e?.message), JSON.stringify(error), String(e?.stack), String(e?.cause), JSON.stringify(e?.cause ?? null)].join('\n');
}
