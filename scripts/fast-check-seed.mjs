// Loaded by .mocharc.cjs before every test file: every fast-check property in the repository runs
// with one fixed seed, so a run is reproducible and CI does not depend on luck, and a failure says
// how to replay it.
//   FINAUTH_SEED unset      the fixed default below
//   FINAUTH_SEED=<integer>  that seed (replays a failure printed by an earlier run)
//   FINAUTH_SEED=random     a fresh seed, printed at start (to explore; a failure found this way
//                           becomes a regular test case)
// Properties set their own numRuns; a property that sets none gets DEFAULT_NUM_RUNS, not
// fast-check's 100.
import fc from 'fast-check';

export const DEFAULT_SEED = 1_202_611;
const DEFAULT_NUM_RUNS = 500;

function chosenSeed() {
  const raw = process.env.FINAUTH_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') {
    const seed = (Math.random() * 0x1_0000_0000) | 0;
    process.stderr.write(`fast-check: FINAUTH_SEED=random chose seed ${seed} (replay: FINAUTH_SEED=${seed})\n`);
    return seed;
  }
  if (/^-?\d{1,10}$/.test(raw) && Number(raw) === (Number(raw) | 0)) return Number(raw);
  throw new Error(`FINAUTH_SEED must be a 32-bit integer or "random", got ${JSON.stringify(raw.slice(0, 40))}`);
}

fc.configureGlobal({
  seed: chosenSeed(),
  numRuns: DEFAULT_NUM_RUNS,
  // fast-check's own report (counterexample, seed, path), plus how to replay it here.
  reporter(details) {
    if (!details.failed) return;
    const replay =
      `\n\nReplay: FINAUTH_SEED=${details.seed} npm test` +
      `\n(only this counterexample: add { seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath ?? '')} } to this fc.assert)`;
    throw new Error(fc.defaultReportMessage(details) + replay, { cause: details.errorInstance });
  },
});
