import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SquidOptions {
  /** Proxy users (`Proxy-Authorization: Basic`, checked by squid's basic_ncsa_auth); none: no authentication. */
  readonly users?: Readonly<Record<string, string>>;
  /** CONNECT to these ports is refused with 403 (a proxy policy that does not allow the destination). */
  readonly deniedPorts?: string;
}

export interface SquidProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Squid's access log so far: one line per request it handled. */
  accessLog(): string;
  stop(): Promise<void>;
}

const SQUID = '/usr/sbin/squid';
const NCSA_AUTH = ['/usr/lib/squid/basic_ncsa_auth', '/usr/lib64/squid/basic_ncsa_auth'];

/** A port free right now (squid needs a number; it cannot report the port it picked for 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a real Squid (Debian's `squid` package) as an egress proxy on 127.0.0.1 for tests: its own
 * folder, config, log and free port; CONNECT only, no caching, no DNS beyond the hosts file. The
 * access log uses squid's native format (`... CONNECT host:port user HIER ...`).
 */
export async function startSquid(options: SquidOptions = {}): Promise<SquidProxy> {
  if (!existsSync(SQUID)) throw new Error('squid is not installed (apt-get install -y squid)');
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnce(options: SquidOptions, port: number): Promise<SquidProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'finauth-squid-'));
  // Squid started as root runs as its own user: it must be able to write its log here.
  chmodSync(dir, 0o777);
  const lines = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${dir}/squid.pid`,
    `access_log stdio:${dir}/access.log`,
    'buffered_logs off',
    `cache_log ${dir}/cache.log`,
    'cache_store_log none',
    'cache deny all',
    'cache_mem 0 MB',
    `coredump_dir ${dir}`,
    'pinger_enable off',
    'visible_hostname finauth-test-proxy',
    'shutdown_lifetime 0 seconds',
    'acl local src 127.0.0.1/32',
    'acl CONNECT method CONNECT',
    'http_access deny !local',
    'http_access deny !CONNECT',
  ];
  if (options.deniedPorts) lines.push(`acl denied port ${options.deniedPorts}`, 'http_access deny CONNECT denied');
  if (options.users && Object.keys(options.users).length > 0) {
    const helper = NCSA_AUTH.find((p) => existsSync(p));
    if (!helper) throw new Error('squid basic_ncsa_auth helper not found');
    const entries = Object.entries(options.users).map(([user, password]) => {
      const hash = spawnSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' });
      if (hash.status !== 0) throw new Error('openssl passwd failed');
      return `${user}:${hash.stdout.trim()}`;
    });
    writeFileSync(join(dir, 'htpasswd'), `${entries.join('\n')}\n`, { mode: 0o644 });
    lines.push(`auth_param basic program ${helper} ${dir}/htpasswd`, 'auth_param basic children 2 startup=1 idle=1', 'auth_param basic realm finauth-test', 'acl users proxy_auth REQUIRED', 'http_access deny !users');
  }
  lines.push('http_access allow CONNECT', 'http_access deny all');
  writeFileSync(join(dir, 'squid.conf'), `${lines.join('\n')}\n`);

  const child: ChildProcess = spawn(SQUID, ['-N', '-f', join(dir, 'squid.conf')], { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      const log = existsSync(join(dir, 'cache.log')) ? readFileSync(join(dir, 'cache.log'), 'utf8').slice(-500) : '';
      await stop();
      throw new Error(`squid did not start on port ${port}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: () => (existsSync(join(dir, 'access.log')) ? readFileSync(join(dir, 'access.log'), 'utf8') : ''),
    stop,
  };
}
