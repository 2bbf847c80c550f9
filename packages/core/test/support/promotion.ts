import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' }) => void;

let gcFunction: Gc | undefined;

/** V8's gc(), without starting mocha with --expose-gc: the flag set at run time exposes it to a new context. */
function gc(): Gc {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as Gc;
  }
  return gcFunction;
}

const oldSpaceUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

/**
 * Bytes that `work` left in the old generation after scavenges only (no full GC): what a dead
 * object already promoted (a structure's obsolete table, say) kept alive through each scavenge.
 * Everything `work` allocated is garbage when it returns, so a structure that lets go of what it
 * held promotes next to nothing.
 */
export function promotedByScavenges(work: () => void): number {
  const collect = gc();
  collect();
  collect();
  const before = oldSpaceUsed();
  work();
  for (let i = 0; i < 4; i++) collect({ type: 'minor' });
  return oldSpaceUsed() - before;
}
