import { exitsWithinASecond, forkChild, within, type FinauthChild } from './childProcess.js';
import { childSettings, uniquePrefix, type TokenWorld } from './fixture.js';
import type { RedisProcess } from './redisProcess.js';
import { forkMany } from './stampede.js';

/** What the close() cases need from a deployment's suite (Cluster, Sentinel): read when the tests run. */
export interface CloseCaseDeployment {
  readonly world: () => TokenWorld;
  readonly key: string;
  /** The suite kills what is left of these after each test. */
  readonly children: FinauthChild[];
  /** The cache's `redis` settings for this deployment. */
  readonly redis: (extra?: Record<string, unknown>) => Record<string, unknown>;
  /** Test names: the start (what the cache is doing), the unreachable case, the paused-node case. */
  readonly names: { readonly starting: string; readonly unreachable: string; readonly paused: string };
  /** `redis` settings pointing at nothing that listens. */
  readonly unreachable: () => Record<string, unknown>;
  /** The node whose pause leaves the busy child's commands pending (without a failover). */
  readonly nodeToPause: () => Promise<RedisProcess>;
  /** Waits until the deployment is whole again after the pause. */
  readonly healed?: () => Promise<void>;
}

/**
 * The close() cases every deployment shares (issue 18): a child process exits on its own within
 * 1 s of close() while the cache is starting, while nothing is reachable, and with commands pending
 * on a paused node.
 */
export function describeCloseCases(d: CloseCaseDeployment): void {
  describe('close() lets a process exit within 1 s', () => {

    it(`${d.names.starting} (close() in the same tick as createFinauth)`, async function () {
      this.timeout(120_000);
      const c = forkChild(childSettings(d.world(), d.key, uniquePrefix(), { redis: d.redis(), callers: 1, closeAtStart: true }));
      d.children.push(c);
      await exitsWithinASecond(c);
    });

    it(d.names.unreachable, async function () {
      this.timeout(120_000);
      const c = forkChild(childSettings(d.world(), d.key, uniquePrefix(), { redis: d.redis(d.unreachable()), callers: 1, stayOpen: true }));
      d.children.push(c);
      await within(c.ready, 120_000, 'ready');
      await new Promise((r) => setTimeout(r, 300));
      c.close();
      await exitsWithinASecond(c);
    });

    it(d.names.paused, async function () {
      this.timeout(180_000);
      const batch = await forkMany(d.world(), 2, d.key, uniquePrefix(), d.redis(), { callers: 1 });
      d.children.push(...batch);
      for (const c of batch) c.go();
      await within(Promise.all(batch.map((c) => c.result)), 60_000, 'results');
      const [idle, busy] = batch as [FinauthChild, FinauthChild];
      idle.close();
      await exitsWithinASecond(idle);
      const paused = await d.nodeToPause();
      paused.pause();
      try {
        busy.close({ inflight: true });
        await exitsWithinASecond(busy);
      } finally {
        paused.resume();
      }
      await d.healed?.();
    });
  });
}
