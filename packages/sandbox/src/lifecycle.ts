import type { Server } from 'node:https';
import type { Socket } from 'node:net';

/**
 * Owns everything that could keep the process alive — servers, their sockets (including ones
 * still in the TLS handshake, which `closeAllConnections()` does not know about) and fault
 * timers — so that stop() leaves nothing behind and a mocha run exits on its own.
 */
export class Lifecycle {
  #servers = new Set<Server>();
  #sockets = new Set<Socket>();
  #delays = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  #stopped = false;

  get stopped(): boolean {
    return this.#stopped;
  }

  track(server: Server): void {
    this.#servers.add(server);
    server.on('connection', (socket: Socket) => {
      if (this.#stopped) {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Resolves true after `ms`, or false as soon as the sandbox stops. */
  delay(ms: number): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#delays.delete(timer);
        resolve(true);
      }, ms);
      this.#delays.set(timer, resolve);
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const [timer, resolve] of this.#delays) {
      clearTimeout(timer);
      resolve(false);
    }
    this.#delays.clear();
    const closed = [...this.#servers].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    for (const server of this.#servers) server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await Promise.all(closed);
  }
}
