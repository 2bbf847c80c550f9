// Spec output for people, plus a per-package tally file that scripts/run-tests.mjs adds up into one
// closing "N passed, N failed" line for CI.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class FinauthReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
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
