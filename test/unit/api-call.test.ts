/**
 * The app's API calls (`api` in src/data/session.ts): whatever goes wrong on the way — no
 * connection, a connection that dies while the answer arrives, a page that is not ours —
 * reaches the UI as one typed error it can put in the volunteer's words, never a raw
 * exception.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiCallError } from '../../src/data/session.ts';

function cutBody(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"user":{"id":"'));
      controller.error(new TypeError('terminated'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

describe('api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['no connection', () => Promise.reject(new TypeError('fetch failed'))],
    ['the connection dies mid-answer', () => Promise.resolve(cutBody())],
    ["a captive portal's page", () => Promise.resolve(new Response('<html>登录 Wi-Fi</html>', { status: 200 }))],
  ])('%s: an ApiCallError with code network', async (_name, answer) => {
    vi.stubGlobal('fetch', vi.fn(answer));
    const call = api('/api/me');
    await expect(call).rejects.toBeInstanceOf(ApiCallError);
    await expect(call).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it("a refusal keeps the server's code and message", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(Response.json({ error: { code: 'forbidden', message: '无权限' } }, { status: 403 }))),
    );
    await expect(api('/api/me')).rejects.toMatchObject({ status: 403, code: 'forbidden', message: '无权限' });
  });

  it('a whole answer is returned as sent', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(Response.json({ ok: true }))),
    );
    await expect(api<{ ok: boolean }>('/api/health')).resolves.toEqual({ ok: true });
  });
});
