// Shared mocha settings: every package runs its compiled tests (dist-test) with these.
module.exports = {
  timeout: 20000,
  slow: 1000,
  reporter: require.resolve('./scripts/mocha-reporter.cjs'),
  exit: false,
  'forbid-only': true,
  'forbid-pending': true,
};
