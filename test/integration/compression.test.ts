/**
 * The server compresses what it sends itself (issue 23, item 1), negotiated by the client's
 * Accept-Encoding: pull pages and exports gzip as they go, the built app's files from the
 * brotli or gzip copies made at build, anything else as it is sent; a client that asks for
 * nothing gets the bytes as they are. Over raw HTTP, so nothing decompresses behind the test.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveHousehold } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, signedInDevice, startServer, type Device, type TestServer } from './harness.ts';

interface Raw {
  status: number;
  encoding: string | undefined;
  vary: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(server: TestServer, pathname: string, headers: Record<string, string>): Promise<Raw> {
  const url = new URL(pathname, server.url);
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: res.headers['content-encoding'],
            vary: res.headers.vary,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

describe.each(BACKENDS)('compression on $name', (backend) => {
  let server: TestServer;
  let coord: Device;
  const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `邻里 ${i}`))};\n`;

  beforeAll(async () => {
    server = await startServer(backend);
    const team = await server.addTeam('东湖社区');
    coord = await signedInDevice(server, await server.addUser(team, 'coord', 'coordinator'));
    for (let i = 0; i < 30; i++)
      await saveHousehold({ id: newId(), gridCode: 'A1', building: '3', room: String(101 + i), headName: `住户${i}` }, coord.db);
    await coord.syncUntilClean();
    const dist = path.join(server.dataDir, 'no-dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), script);
    fs.writeFileSync(path.join(dist, 'assets', 'app.js.br'), brotliCompressSync(script));
    fs.writeFileSync(path.join(dist, 'assets', 'plain.js'), script);
  });
  afterAll(() => server.stop());

  const cookie = () => ({ cookie: coord.http.cookie });

  it('gzips a pull page for a client that takes it, and the bytes are the same page', async () => {
    const plain = await get(server, '/api/sync/pull?cursor=0&clocks=packed', cookie());
    const zipped = await get(server, '/api/sync/pull?cursor=0&clocks=packed', { ...cookie(), 'accept-encoding': 'gzip, deflate, br' });
    expect(plain.status).toBe(200);
    expect(plain.encoding).toBeUndefined();
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.vary).toMatch(/accept-encoding/i);
    // compressed, it keeps every header the server sets after the handler
    expect(zipped.headers['cache-control']).toBe('no-store');
    expect(zipped.headers['content-security-policy']).toContain("script-src 'self'");
    const page = (b: Buffer) => ({ ...(JSON.parse(b.toString('utf8')) as Record<string, unknown>), serverTime: 0 });
    expect(page(gunzipSync(zipped.body))).toEqual(page(plain.body));
    expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength / 3);
  });

  it('gzips an export as it streams', async () => {
    const res = await get(server, '/api/export/households.csv?from=2020-01-01&to=2030-12-31', { ...cookie(), 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.encoding).toBe('gzip');
    expect(gunzipSync(res.body).toString('utf8')).toContain('住户29');
  });

  it('sends the built app’s brotli copy where there is one, compresses the rest as it goes, and plain bytes to a client that asks for nothing', async () => {
    const br = await get(server, '/assets/app.js', { 'accept-encoding': 'gzip, br' });
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(script);
    const gz = await get(server, '/assets/plain.js', { 'accept-encoding': 'gzip' });
    expect(gz.encoding).toBe('gzip');
    // compressed either way, an asset stays immutable in the browser's cache
    for (const r of [br, gz]) expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(script);
    const none = await get(server, '/assets/app.js', {});
    expect(none.encoding).toBeUndefined();
    expect(none.body.toString('utf8')).toBe(script);
  });
});
