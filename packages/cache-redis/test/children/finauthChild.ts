/**
 * A separate finauth process for the cross-process tests, driven over IPC. Settings come in
 * FINAUTH_CHILD (JSON). It never calls process.exit: when it is done it closes finauth and drops the
 * IPC channel, so it ends only if close() really released every socket and timer.
 */
import { createFinauth, MemoryTokenCache } from '@finauth/core';
import { redisCache } from '../../src/index.js';
import { testPost } from '../support/testStrategy.js';

interface ChildSettings {
  readonly redisUrl: string;
  readonly tokenEndpoint: string;
  readonly caPath: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly leaseMs: number;
  readonly callers: number;
  /** 'memory' runs without the shared cache (the bench's baseline). */
  readonly cache?: 'redis' | 'memory';
}

const settings = JSON.parse(process.env['FINAUTH_CHILD'] ?? '{}') as ChildSettings;
const send = (message: unknown): void => {
  process.send?.(message);
};

const shared = settings.cache !== 'memory';
const cache = shared ? redisCache({ url: settings.redisUrl, keyPrefix: settings.keyPrefix, leaseMs: settings.leaseMs, keys: [{ id: 'k1', key: settings.key }] }) : undefined;
const auth = createFinauth({
  strategies: [testPost()],
  cache: cache ?? new MemoryTokenCache(),
  providers: [{ id: 'bank', strategy: 'test_post', tokenEndpoint: settings.tokenEndpoint, clientId: 'client-a', scope: 'accounts', tls: { ca: `file:${settings.caPath}` }, timeoutMs: 60_000, retry: { maxRetries: 0 } }],
});

process.on('message', (message: unknown) => {
  if (message !== 'go') return;
  void (async () => {
    const results = await Promise.allSettled(Array.from({ length: settings.callers }, () => auth.getToken('bank')));
    const tokens = [...new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.accessToken] : [])))];
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
    send({ type: 'result', tokens, errors, degraded: cache?.isDegraded ?? false });
    await auth.close();
    process.disconnect?.();
  })();
});
send({ type: 'ready' });
