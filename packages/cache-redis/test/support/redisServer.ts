import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A throwaway `redis-server` on 127.0.0.1 and a free port, which a test can stop, pause and restart. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Starts it again on the same port (after `stop`): an empty server, nothing persisted. */
  start(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets but answers nothing (a "slow" Redis). */
  pause(): void;
  resume(): void;
}

export async function startRedis(): Promise<RedisServer> {
  // freePort() only says the port was free a moment ago: if another process binds it first, another port.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port);
    } catch (error) {
      if (!(error instanceof RedisStartError && error.portTaken) || attempt >= 5) throw error;
    }
  }
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = await launch(port);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGCONT');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => running.kill('SIGKILL'), 5000);
        running.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
  return server;
}

function launch(port: number): Promise<ChildProcess> {
  return launchRedis(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], 'Ready to accept connections');
}

/**
 * Starts `redis-server` with `args` and resolves once its log shows `readyMarker` (Sentinel mode
 * logs "+monitor master" rather than "Ready to accept connections").
 */
export function launchRedis(args: readonly string[], readyMarker: string): Promise<ChildProcess> {
  const child = spawn('redis-server', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = args[args.indexOf('--port') + 1] ?? args[0];
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start (${port}): ${output.slice(-500)}`));
    }, 30_000);
    // An exit before the ready line (a port taken between freePort() and the bind): fail now, with its log.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new RedisStartError(`redis-server exited before it was ready (${port}, ${code ?? signal}): ${output.slice(-500)}`, /Address already in use/.test(output)));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (install it: apt-get install redis-server, or run npm test at the repository root, which does): ${error.message}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(readyMarker)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.stderr?.resume();
  });
}

/** redis-server did not come up; `portTaken`: another process bound its port first (pick new ports and retry). */
export class RedisStartError extends Error {
  constructor(message: string, readonly portTaken: boolean) {
    super(message);
  }
}

/** A port nothing listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
