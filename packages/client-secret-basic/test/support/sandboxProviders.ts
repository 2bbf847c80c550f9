import type { Logger } from '@finauth/core';
import type { Sandbox } from '@finauth/sandbox';

/** Retries quick enough for tests: a Retry-After beyond 2 s fails at once. */
export const QUICK_RETRY = Object.freeze({ maxRetries: 2, maxDelayMs: 2000 });

/** A provider for the sandbox's BNP-style gateway (BNP Paribas CIB API gateway, "OAuth2 - Client Credentials"): it accepts only `raw`. */
export function gatewayProvider(sandbox: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bnp',
    strategy: 'client_secret_basic',
    tokenEndpoint: sandbox.gateway.tokenEndpoint,
    clientId: sandbox.gateway.clientId,
    clientSecret: sandbox.gateway.clientSecret,
    credentialEncoding: 'raw',
    tls: { ca: `file:${sandbox.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

/** A provider for the sandbox's certified oidc-provider `client_secret_basic` client (RFC 6749 §2.3.1). */
export function opProvider(sandbox: Sandbox, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const client = sandbox.ofp.clients.basic;
  return {
    id: 'op',
    strategy: 'client_secret_basic',
    tokenEndpoint: client.tokenEndpoint,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tls: { ca: `file:${sandbox.pki.caCert}` },
    retry: { ...QUICK_RETRY },
    ...extra,
  };
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** A Logger bound through DI that keeps every line, so tests can look for leaked secrets in it. */
export function recordingLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(lines) };
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
