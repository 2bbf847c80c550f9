// Tests talk to the sandbox's real servers: allow for their start-up.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Inside the finauth repository, the shared reporter adds this package to `npm test`'s tally.
// In your copy this file does not exist and mocha's own reporter is used: delete these lines.
const finauthReporter = join(__dirname, '..', '..', 'scripts', 'mocha-reporter.cjs');

module.exports = {
  timeout: 20000,
  'forbid-only': true,
  'forbid-pending': true,
  ...(existsSync(finauthReporter) ? { reporter: finauthReporter } : {}),
};
