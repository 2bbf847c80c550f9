/**
 * A separate finauth process for the cross-process tests, driven over IPC. Settings come in
 * FINAUTH_CHILD (JSON). It never calls process.exit: when told to close it says "closing", drops the
 * IPC channel and closes finauth, so it ends only if close() really released every socket and timer
 * (the parent times that).
 *
 * Messages in: "go" / { go: scopes } (run the callers, answer "result"), "status", "close" /
 * { close: true, inflight: true } (start token calls that will hang on a paused Redis, then close).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigError, createFinauth, MemoryTokenCache } from '@finauth/core';
import { redisCache, type RedisCacheOptions } from '../../src/index.js';
import { testPost } from '../support/testStrategy.js';

interface ChildSettings {
  /** Where Redis is: `{ url }`, `{ cluster }` or `{ sentinel }`, plus any cache option. */
  readonly redis?: Partial<RedisCacheOptions>;
  /** Older form of `redis: { url }`. */
  readonly redisUrl?: string;
  /** The cache's command timeout (stampede tests raise it: on a busy runner 500 ms is measured by the runner). */
  readonly commandTimeoutMs?: number;
  readonly tokenEndpoint: string;
  readonly caPath: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly leaseMs: number;
  readonly callers: number;
  /** Caller i asks for scopes[i % scopes.length] (default: the provider's scope). */
  readonly scopes?: string[];
  /** 'memory' runs without the shared cache (the bench's baseline). */
  readonly cache?: 'redis' | 'memory';
  /** Stay up after a round until told to close (several rounds, or a close in a chosen state). */
  readonly stayOpen?: boolean;
  /** Close in the same tick as createFinauth: the first connection is still being made. */
  readonly closeAtStart?: boolean;
  /** Give createFinauth an invalid provider: it throws a ConfigError after the cache was created inline. */
  readonly invalidProvider?: boolean;
  /** A file to write, on exit, how many ms after closing the event loop was empty. */
  readonly exitReport?: string;
}

const settings = JSON.parse(process.env['FINAUTH_CHILD'] ?? '{}') as ChildSettings;

/**
 * From closing to the moment Node finds nothing left to wait for ('exit' fires when the event loop
 * is empty: no socket, timer or handle holds the process), written to `exitReport` for the parent.
 * That is what close() controls; the OS tearing the process down afterwards is not.
 * With the main thread's scheduler counters (Linux /proc/self/schedstat: CPU time, time spent
 * runnable but waiting for a CPU) so the parent can leave out the time other processes had the CPU.
 */
const closingFrom = (startedAt: number): void => {
  if (!settings.exitReport) return;
  const report = settings.exitReport;
  const before = schedstat();
  process.once('exit', () => {
    const after = schedstat();
    const ns = (i: 0 | 1): number | null => (before && after ? Math.round((after[i] - before[i]) / 1e6) : null);
    writeFileSync(report, JSON.stringify({ wallMs: Date.now() - startedAt, cpuMs: ns(0), queuedMs: ns(1) }));
  });
};

/** [CPU ns, run-queue wait ns] of this thread, or undefined off Linux. */
function schedstat(): [number, number] | undefined {
  try {
    const [cpu, queued] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return cpu !== undefined && queued !== undefined && Number.isFinite(cpu) && Number.isFinite(queued) ? [cpu, queued] : undefined;
  } catch {
    return undefined;
  }
}
const send = (message: unknown): void => {
  process.send?.(message);
};

const shared = settings.cache !== 'memory';
const redisOptions: Partial<RedisCacheOptions> = { ...(settings.redis ?? { url: settings.redisUrl }), ...(settings.commandTimeoutMs ? { commandTimeoutMs: settings.commandTimeoutMs } : {}) };
const provider = { id: 'bank', strategy: 'test_post', tokenEndpoint: settings.tokenEndpoint, clientId: 'client-a', scope: 'accounts', tls: { ca: `file:${settings.caPath}` }, timeoutMs: 60_000, retry: { maxRetries: 0 } };

if (settings.invalidProvider) {
  try {
    // The README's form: the cache is created inline, so the caller never holds it to close it.
    createFinauth({
      strategies: [testPost()],
      cache: redisCache({ ...redisOptions, keyPrefix: settings.keyPrefix, keys: [{ id: 'k1', key: settings.key }] }),
      providers: [{ ...provider, timeoutMs: -1 }],
    });
    send({ type: 'unexpected', message: 'createFinauth did not throw' });
  } catch (error) {
    closingFrom(Date.now());
    send({ type: ConfigError.is(error) ? 'closing' : 'unexpected', message: String(error) });
  }
  process.disconnect?.();
} else {
  const cache = shared ? redisCache({ ...redisOptions, keyPrefix: settings.keyPrefix, leaseMs: settings.leaseMs, keys: [{ id: 'k1', key: settings.key }] }) : undefined;
  const auth = createFinauth({ strategies: [testPost()], cache: cache ?? new MemoryTokenCache(), providers: [provider] });

  const close = async (inflight: boolean): Promise<void> => {
    if (inflight) {
      // Calls that reach Redis and wait: on a paused server their commands stay unanswered.
      for (let i = 0; i < 5; i++) auth.getToken('bank', { scope: `inflight-${i}`, forceRefresh: true }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 700)); // past the command timeout: the commands are still pending inside node-redis
    }
    closingFrom(Date.now());
    send({ type: 'closing' });
    process.disconnect?.();
    await auth.close();
  };

  const round = async (scopes: string[] | undefined): Promise<void> => {
    const asked = Array.from({ length: settings.callers }, (_, i) => scopes?.[i % scopes.length]);
    const results = await Promise.allSettled(asked.map((scope) => auth.getToken('bank', scope === undefined ? {} : { scope })));
    const tokensByScope: Record<string, string[]> = {};
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      const list = (tokensByScope[asked[i] ?? ''] ??= []);
      if (!list.includes(r.value.accessToken)) list.push(r.value.accessToken);
    });
    const tokens = [...new Set(Object.values(tokensByScope).flat())];
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
    send({ type: 'result', tokens, tokensByScope, errors, degraded: cache?.isDegraded ?? false });
  };

  process.on('message', (message: unknown) => {
    const m = message as { go?: string[]; close?: boolean; inflight?: boolean } | string;
    if (m === 'status') {
      send({ type: 'status', status: cache?.status ?? 'healthy' });
    } else if (m === 'close' || (typeof m === 'object' && m.close)) {
      void close(typeof m === 'object' && m.inflight === true);
    } else if (m === 'go' || (typeof m === 'object' && m.go)) {
      void (async () => {
        await round(typeof m === 'object' ? m.go : settings.scopes);
        if (!settings.stayOpen) await close(false);
      })();
    }
  });
  send({ type: 'ready' });
  if (settings.closeAtStart) void close(false);
}
