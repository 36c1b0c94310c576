/**
 * The server's listening sockets: several on one port (SO_REUSEPORT), all serving the one
 * app. libuv accepts a single connection per listening socket per turn of the event loop
 * (libuv/libuv#3696), and a turn of a loaded server — a team's transaction, a pull page —
 * lasts tens of milliseconds. With one socket, 200 phones reconnecting at once waited up to
 * 200 turns in the kernel's accept queue — up to 5 s in the load benchmark, before the server
 * had read a byte, so not even counted in what it told the phones (Server-Timing). The
 * kernel spreads new connections over the sockets, and each turn accepts one per socket.
 *
 * Sharing the port must not let a second, unrelated server share it too: a phone answered by
 * two databases in turn would skip changes (its cursor belongs to one). So the port is first
 * bound alone, without SO_REUSEPORT — which fails if anything else is on it — and only then
 * by the shared sockets.
 */
import net, { type AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';

/** Sockets sharing the port, where the platform has SO_REUSEPORT (Linux); else one. */
export const LISTEN_SOCKETS = 16;
/**
 * Longer than a reverse proxy's idle timeout, so the proxy (or a phone) never sends on a
 * connection the server is closing at that moment.
 */
const KEEP_ALIVE_MS = 65_000;

export type Fetch = (req: Request) => Response | Promise<Response>;

export interface Listening {
  port: number;
  servers: ServerType[];
  /** Stops accepting; resolves when every connection has ended (`force`: ends them now). */
  close(options?: { force?: boolean }): Promise<void>;
}

function bind(server: net.Server, port: number, host: string, reusePort: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ...(reusePort ? { reusePort } : {}) }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeOne(server: ServerType, force: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    if (force) (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

export async function listen(fetch: Fetch, port: number, host: string, sockets = LISTEN_SOCKETS): Promise<Listening> {
  const servers: ServerType[] = [];
  const make = (): ServerType => {
    const server = createAdaptorServer({ fetch, hostname: host });
    if ('keepAliveTimeout' in server) {
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    }
    servers.push(server);
    return server;
  };
  // alone first: EADDRINUSE if anything at all holds the port (and port 0 picks one)
  const probe = net.createServer();
  const actual = await bind(probe, port, host, false);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  let shared = sockets > 1;
  try {
    await bind(make(), actual, host, shared);
  } catch (e) {
    if (!shared || (e as NodeJS.ErrnoException).code !== 'ENOTSUP') throw e;
    servers.length = 0;
    shared = false;
    await bind(make(), actual, host, false);
  }
  const close = async ({ force = false } = {}) => {
    await Promise.all(servers.map((s) => closeOne(s, force)));
  };
  for (let i = 1; shared && i < sockets; i++) {
    try {
      await bind(make(), actual, host, true);
    } catch (e) {
      servers.pop();
      // a Node before 22.12 ignores reusePort: the port stays this one socket's
      if (i === 1 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') break;
      await close({ force: true });
      throw e;
    }
  }
  return { port: actual, servers, close };
}
