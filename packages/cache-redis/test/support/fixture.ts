import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Telemetry, TelemetryEvent } from '@finauth/core';
import { generatePki } from '@finauth/sandbox';
import { startRedis, type RedisServer } from './redisServer.js';
import { startTokenServer, type TokenServer } from './tokenServer.js';

/** One test file's world: a real Redis, a real TLS token endpoint, a CA to trust it with. */
export interface World {
  readonly redis: RedisServer;
  readonly tokens: TokenServer;
  readonly caPath: string;
  stop(): Promise<void>;
}

/** A TLS token endpoint and its CA, for tests that start their own Redis deployment. */
export interface TokenWorld {
  readonly tokens: TokenServer;
  readonly caPath: string;
  stop(): Promise<void>;
}

export async function startTokenWorld(): Promise<TokenWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cache-redis-'));
  const pki = await generatePki(dir);
  const tokens = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey });
  return {
    tokens,
    caPath: pki.caCert,
    async stop() {
      await tokens.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-cache-redis-'));
  const pki = await generatePki(dir);
  const redis = await startRedis();
  const tokens = await startTokenServer({ cert: pki.serverCert, key: pki.serverKey });
  return {
    redis,
    tokens,
    caPath: pki.caCert,
    async stop() {
      await Promise.allSettled([tokens.stop(), redis.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A provider of the test strategy pointing at the world's token endpoint. */
export function providerFor(world: Pick<TokenWorld, 'tokens' | 'caPath'>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bank',
    strategy: 'test_post',
    tokenEndpoint: world.tokens.url,
    clientId: 'client-a',
    scope: 'accounts',
    tls: { ca: `file:${world.caPath}` },
    timeoutMs: 5000,
    retry: { maxRetries: 0 },
    ...overrides,
  };
}

/** What a child process needs to reach the world's token endpoint with the shared cache. */
export function childSettings(world: Pick<TokenWorld, 'tokens' | 'caPath'>, key: string, keyPrefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tokenEndpoint: world.tokens.url, caPath: world.caPath, key, keyPrefix, leaseMs: 5000, callers: 200, ...extra };
}

/** Token requests the bank received per scope since `from` (index into `requests`). */
export function requestsByScope(world: Pick<TokenWorld, 'tokens'>, from: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of world.tokens.requests.slice(from)) {
    const list = out.get(r.scope ?? '') ?? [];
    if (r.accessToken) list.push(r.accessToken);
    else list.push('(failed)');
    out.set(r.scope ?? '', list);
  }
  return out;
}

/** A fresh AES-256 key, base64. */
export function newKey(): string {
  return randomBytes(32).toString('base64');
}

/** A unique key prefix per test, so tests never see each other's entries. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`;
}

/** Logger and telemetry that keep everything they are given, to look for events and for leaks. */
export class Recorder implements Logger, Telemetry {
  readonly lines: { level: string; message: string; fields: Readonly<Record<string, unknown>> | undefined }[] = [];
  readonly events: TelemetryEvent[] = [];

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void { this.lines.push({ level: 'debug', message, fields }); }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void { this.lines.push({ level: 'info', message, fields }); }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void { this.lines.push({ level: 'warn', message, fields }); }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void { this.lines.push({ level: 'error', message, fields }); }
  emit(event: TelemetryEvent): void { this.events.push(event); }

  count(name: string): number {
    return this.events.filter((e) => e.name === name).length;
  }

  /** Everything recorded, as one string: what a leak check searches. */
  text(): string {
    return JSON.stringify({ lines: this.lines, events: this.events });
  }

  /** Resolves once `name` has been emitted `times` times; rejects after `timeoutMs`. */
  async waitFor(name: string, times = 1, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.count(name) < times) {
      if (Date.now() > until) throw new Error(`no ${name} event within ${timeoutMs} ms (events: ${this.events.map((e) => e.name).join(', ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
