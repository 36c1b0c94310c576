/**
 * A loopback port for a server the tests spawn, chosen below the kernel's ephemeral range
 * (32768–60999 here), where outgoing connections and `listen(0)` servers take theirs —
 * a random port up there can already be held — and checked free by binding it once.
 */
import net from 'node:net';

/** Ports local services of the CI machine listen on (RabbitMQ's distribution port among them). */
const TAKEN = new Set([25672]);

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function freePort(avoid: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10000 + Math.floor(Math.random() * 20000);
    if (TAKEN.has(port) || avoid.includes(port)) continue;
    if (await canBind(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
