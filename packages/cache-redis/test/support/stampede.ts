import { expect } from 'chai';
import { exitsWithinASecond, forkChild, within, type ChildResult, type FinauthChild } from './childProcess.js';
import { childSettings, requestsByScope, type TokenWorld } from './fixture.js';

/** `count` scopes: each is its own cache key, so the keys land in different slots. */
export function scopes(count: number, tag: string): string[] {
  return Array.from({ length: count }, (_, i) => `${tag}-${i}`);
}

/** Forks `count` finauth processes on one Redis deployment and waits until all are ready. */
export async function forkMany(world: TokenWorld, count: number, key: string, keyPrefix: string, redis: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<FinauthChild[]> {
  // Command timeout 5 s: these tests are about coordination; on a runner busy with other suites a
  // 500 ms timeout is hit by scheduling alone (the timeout has its own tests).
  const children = Array.from({ length: count }, () => forkChild(childSettings(world, key, keyPrefix, { redis, stayOpen: true, commandTimeoutMs: 5000, ...extra })));
  await within(Promise.all(children.map((c) => c.ready)), 120_000, 'children ready');
  return children;
}

/**
 * The checks of a stampede round: no caller failed, every token a caller got is one the bank issued
 * for that caller's scope (no wrong token), and the bank saw at most `maxPerScope` requests per scope.
 */
export function checkRound(world: TokenWorld, from: number, results: readonly ChildResult[], keys: readonly string[], maxPerScope: number): Map<string, string[]> {
  expect(results.flatMap((r) => r.errors)).to.deep.equal([]);
  const issued = requestsByScope(world, from);
  for (const scope of keys) {
    const got = new Set(results.flatMap((r) => r.tokensByScope[scope] ?? []));
    expect(got.size, `callers of ${scope} got a token`).to.be.at.least(1);
    for (const token of got) expect(issued.get(scope) ?? [], `token of ${scope} was issued for ${scope}`).to.include(token);
    expect((issued.get(scope) ?? []).length, `token requests for ${scope}`).to.be.within(1, maxPerScope);
  }
  expect([...issued.keys()].filter((s) => !keys.includes(s)), 'requests for scopes nobody asked').to.deep.equal([]);
  return issued;
}

/**
 * Recovery without a restart: the same processes, asked for `keys` again once the deployment is
 * whole, share one token per key again (one bank request per key, every caller the same token).
 */
export async function sharedRoundAgain(world: TokenWorld, children: readonly FinauthChild[], keys: string[]): Promise<void> {
  await allHealthy(children, 60_000);
  world.tokens.mode = { kind: 'ok', delayMs: 300 };
  const from = world.tokens.requests.length;
  const next = children.map((c) => c.nextResult());
  for (const c of children) c.go(keys);
  const round = await within(Promise.all(next), 60_000, 'results after recovery');
  checkRound(world, from, round, keys, 1);
  for (const scope of keys) expect(new Set(round.flatMap((r) => r.tokensByScope[scope] ?? [])).size, scope).to.equal(1);
}

/** Polls every child's cache status until all are healthy again (recovery without a restart). */
export async function allHealthy(children: readonly FinauthChild[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(children.map((c) => c.status()));
    if (statuses.every((s) => s === 'healthy')) return;
    if (Date.now() > deadline) throw new Error(`children not healthy within ${timeoutMs} ms: ${statuses.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Closes every child and checks each exits on its own, its event loop empty within 1 s of close()
 * (see exitsWithinASecond). One at a time, so each measures its own close().
 */
export async function closeAll(children: readonly FinauthChild[]): Promise<void> {
  for (const c of children) {
    c.close();
    await exitsWithinASecond(c);
  }
}
