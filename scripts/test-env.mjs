// The environment `npm test` runs every test process with. Colour only for a person at a terminal:
// CI logs and files get plain text. lerna's task runner (nx) sets FORCE_COLOR=true in every task
// it starts unless FORCE_COLOR is already set, so "no colour" must be said explicitly.
export function testEnv(baseEnv, stdoutIsTty, resultsDir) {
  const colour = stdoutIsTty && baseEnv.NO_COLOR === undefined;
  return {
    env: {
      ...baseEnv,
      FINAUTH_TEST_RESULTS: resultsDir,
      FINAUTH_TEST_COLOR: colour ? '1' : '0',
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_SKIP_NX_CACHE: 'true',
      ...(colour ? {} : { FORCE_COLOR: '0', NO_COLOR: '1' }),
    },
    colour,
  };
}
