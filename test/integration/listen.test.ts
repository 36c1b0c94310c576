/**
 * The server's listening sockets (listen.ts): a crowd of phones connecting while the server
 * is busy is let in within a few turns of its event loop, not one turn per phone; nothing
 * else can take the port while Linli holds it; closing frees it.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, LISTEN_SOCKETS, type Listening } from '../../src/server/listen.ts';

const ok = () => new Response('ok');
const CROWD = 128;
/** A busy server's turn: a team's transaction holds the thread about this long. */
const TURN_MS = 10;

/** Phones on their own thread (their own event loop): each connects, asks, reads the answer. */
function crowd(port: number, n: number): Promise<number> {
  const code = `
    const net = require('node:net');
    const { parentPort, workerData } = require('node:worker_threads');
    let answered = 0;
    for (let i = 0; i < workerData.n; i++) {
      const s = net.connect(workerData.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\\r\\nHost: linli\\r\\nConnection: close\\r\\n\\r\\n'));
      let text = '';
      s.on('data', (b) => (text += b));
      s.on('end', () => {
        if (text.startsWith('HTTP/1.1 200') && text.endsWith('ok')) answered++;
        if (--pending === 0) parentPort.postMessage(answered);
      });
      s.on('error', () => { if (--pending === 0) parentPort.postMessage(answered); });
    }
    let pending = workerData.n;
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { port, n } });
    w.once('message', (m: number) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

describe('listening sockets', () => {
  let open: Listening[] = [];
  afterEach(async () => {
    await Promise.all(open.map((l) => l.close({ force: true })));
    open = [];
  });

  it(`${CROWD} phones connecting at once to a busy server are all let in within ${CROWD / 4} turns of its loop, and all answered`, async () => {
    const l = await listen(ok, 0, '127.0.0.1');
    open.push(l);
    expect(l.servers).toHaveLength(LISTEN_SOCKETS);
    let turn = 0;
    const acceptedAt: number[] = [];
    for (const s of l.servers) s.on('connection', () => acceptedAt.push(turn));
    let busy = true;
    const spin = () => {
      const until = performance.now() + TURN_MS;
      while (performance.now() < until) {
        // the thread is held, as by a synchronous SQLite transaction
      }
      turn++;
      if (busy) setImmediate(spin);
    };
    setImmediate(spin);
    const answered = await crowd(l.port, CROWD);
    busy = false;
    expect(answered).toBe(CROWD);
    expect(acceptedAt).toHaveLength(CROWD);
    // one socket lets in one phone per turn: the last would wait CROWD turns
    expect(acceptedAt.at(-1)! - acceptedAt[0]!).toBeLessThanOrEqual(CROWD / 4);
  });

  it('a second server cannot take the port while Linli holds it, and the port is free again once Linli closes', async () => {
    const l = await listen(ok, 0, '127.0.0.1');
    open.push(l);
    await expect(listen(ok, l.port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const plain = net.createServer();
    await expect(
      new Promise((resolve, reject) => plain.once('error', reject).listen(l.port, '127.0.0.1', () => resolve(null))),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // still Linli answering on every socket
    expect(await (await fetch(`http://127.0.0.1:${l.port}/`)).text()).toBe('ok');
    await l.close();
    open = [];
    const again = await listen(ok, l.port, '127.0.0.1');
    open.push(again);
    expect(again.port).toBe(l.port);
    expect(await (await fetch(`http://127.0.0.1:${again.port}/`, { headers: { connection: 'close' } })).text()).toBe('ok');
  });
});
