import { connect, type Socket } from 'node:net';
import type { ProxyEndpoint } from './ProxyEndpoint.js';
import { ProxyTunnelError } from './ProxyTunnelError.js';

/** A proxy's answer to CONNECT is a status line and headers; anything longer is not a proxy. */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Opens a TCP connection to the proxy and asks it for a tunnel to `host:port`. Resolves with the
 * socket once the proxy answered 2xx; the caller then runs TLS over it, to the bank. Every failure
 * is a ProxyTunnelError saying it was the proxy: unreachable, 407 (authentication), another refusal,
 * a timeout, or an answer that is not HTTP.
 * @see RFC 9110 §9.3.6: any 2xx to CONNECT means the tunnel is open
 */
export function openTunnel(proxy: ProxyEndpoint, host: string, port: number, timeoutMs: number, track?: (socket: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    track?.(socket);
    let head: Buffer = Buffer.alloc(0);
    let connected = false;
    let settled = false;
    const fail = (error: ProxyTunnelError): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error);
    };
    socket.setNoDelay(true);
    const onTimeout = (): void => fail(new ProxyTunnelError(`proxy ${proxy.display} did not open a tunnel to ${host}:${port} within ${timeoutMs} ms`, 'timeout', proxy.display));
    socket.setTimeout(timeoutMs, onTimeout);
    socket.once('connect', () => {
      connected = true;
      socket.write(proxy.connectRequest(host, port));
    });
    const onError = (error: NodeJS.ErrnoException): void => {
      const code = error.code;
      fail(
        connected
          ? new ProxyTunnelError(`proxy ${proxy.display} dropped the connection while opening a tunnel to ${host}:${port}${code ? ` (${code})` : ''}`, 'unreachable', proxy.display, undefined, code)
          : new ProxyTunnelError(`proxy ${proxy.display} is unreachable${code ? ` (${code})` : ''}`, 'unreachable', proxy.display, undefined, code),
      );
    };
    socket.on('error', onError);
    const onClose = (): void => fail(new ProxyTunnelError(`proxy ${proxy.display} closed the connection before answering CONNECT ${host}:${port}`, 'unreachable', proxy.display));
    socket.on('close', onClose);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEAD_BYTES) fail(new ProxyTunnelError(`proxy ${proxy.display} sent an answer to CONNECT that is not HTTP`, 'malformed', proxy.display));
        return;
      }
      socket.removeListener('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})(?: |\r)/.exec(head.subarray(0, Math.min(end + 2, 256)).toString('latin1'));
      if (!status) return fail(new ProxyTunnelError(`proxy ${proxy.display} sent an answer to CONNECT that is not HTTP`, 'malformed', proxy.display));
      const code = Number(status[1]);
      if (code === 407) {
        return fail(new ProxyTunnelError(`proxy ${proxy.display} requires authentication (407 to CONNECT ${host}:${port})${proxy.authenticates ? ': the configured proxy credentials were refused' : ': no proxy credentials are configured'}`, 'auth', proxy.display, code));
      }
      if (code < 200 || code > 299) {
        return fail(new ProxyTunnelError(`proxy ${proxy.display} refused the tunnel to ${host}:${port} (CONNECT answered ${code})`, 'refused', proxy.display, code));
      }
      settled = true;
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.pause();
      // Bytes after the head already belong to the TLS session.
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
