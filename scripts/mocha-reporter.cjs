// Spec output for people, plus a per-package tally file that scripts/run-tests.mjs adds up into one
// closing "N passed, N failed" line for CI.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

// Colour only at a terminal: scripts/run-tests.mjs decides for the whole run (lerna pipes each
// package's output, so the reporter cannot see the terminal itself); run alone, the reporter asks
// whether its own stdout is one.
const wanted = process.env.FINAUTH_TEST_COLOR;
const useColors = () => (wanted === undefined ? process.stdout.isTTY === true && process.env.NO_COLOR === undefined : wanted === '1');

class FinauthReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // When the run begins: mocha applies its own colour option (FORCE_COLOR, --color) after
    // building the reporter, and this decision must win.
    runner.once(Mocha.Runner.constants.EVENT_RUN_BEGIN, () => {
      Mocha.reporters.Base.useColors = useColors();
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const dir = process.env.FINAUTH_TEST_RESULTS;
      if (!dir) return;
      fs.mkdirSync(dir, { recursive: true });
      const name = path.basename(process.cwd()) + '-' + process.pid + '.json';
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ cwd: process.cwd(), passes, failures, pending }));
    });
  }
}
module.exports = FinauthReporter;
