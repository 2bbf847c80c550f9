// Starts tokenServer.mjs as a child process and talks to it over IPC.
import { fork } from 'node:child_process';

export async function startTokenServer(tls, { delayMs = 0 } = {}) {
  const child = fork(new URL('./tokenServer.mjs', import.meta.url), [], { env: { ...process.env, BENCH_SERVER_TLS: JSON.stringify(tls), BENCH_SERVER_DELAY_MS: String(delayMs) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type) => new Promise((resolve) => {
    const on = (m) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
  });
  const { origin } = await next('ready');
  return {
    origin,
    async stats() {
      const reply = next('stats');
      child.send({ type: 'stats' });
      return (await reply).stats;
    },
    async reset() {
      const reply = next('reset');
      child.send({ type: 'reset' });
      await reply;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
