// Shared mocha settings: every package runs its compiled tests (dist-test) with these.
module.exports = {
  timeout: 20000,
  slow: 1000,
  reporter: require.resolve('./scripts/mocha-reporter.cjs'),
  // Every fast-check property runs with a fixed seed (FINAUTH_SEED to change it) and prints how to replay a failure.
  require: [require.resolve('./scripts/fast-check-seed.mjs')],
  exit: false,
  'forbid-only': true,
  'forbid-pending': true,
};
