/**
 * The page's side of the writer worker (src/data/writer.ts), with a stand-in Worker: answers
 * are matched to their saves, storage failures keep their code, a worker that fails mid-save
 * answers with an error and never has the save run twice, and where no worker can be had the
 * save runs on the page.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WriteReply, WriteRequest } from '../../src/data/writer-protocol.ts';

const onPage = vi.fn(async (draft: { id: string }) => ({ ok: true, record: { id: draft.id, where: 'page' } }));
vi.mock('../../src/data/writes.ts', () => ({ WRITES: { saveRepairTicket: onPage } }));

class FakeWorker {
  static made: FakeWorker[] = [];
  sent: WriteRequest[] = [];
  terminated = false;
  onmessage: ((e: { data: WriteReply }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(m: WriteRequest): void {
    if (m.args.some((a) => typeof a === 'function')) throw new DOMException('could not be cloned', 'DataCloneError');
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(m: WriteReply): void {
    this.onmessage?.({ data: m });
  }
  crash(): void {
    this.onerror?.({ message: 'out of memory', preventDefault() {} });
  }
}

/** A fresh writer (no worker yet), and the StorageError class it throws. */
async function load() {
  vi.resetModules();
  const { StorageError } = await import('../../src/data/storage-error.ts');
  return { ...(await import('../../src/data/writer.ts')), StorageError };
}

beforeEach(() => {
  FakeWorker.made = [];
  onPage.mockClear();
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => vi.unstubAllGlobals());

describe('saves through the writer worker', () => {
  it('sends the save to the worker and resolves each save with its own answer, marking when it committed', async () => {
    const { viaWriter, COMMITTED_MARK } = await load();
    const save = viaWriter('saveRepairTicket');
    const a = save({ id: 'a', eventId: 'e', category: 'fan', problem: '不转' });
    const b = save({ id: 'b', eventId: 'e', category: 'kettle', problem: '漏水' });
    const [w] = FakeWorker.made;
    expect(FakeWorker.made).toHaveLength(1);
    expect(w!.sent.map((m) => [m.name, (m.args[0] as { id: string }).id])).toEqual([
      ['saveRepairTicket', 'a'],
      ['saveRepairTicket', 'b'],
    ]);
    const at = performance.timeOrigin + performance.now();
    // answered out of order
    w!.answer({ id: w!.sent[1]!.id, ok: true, result: { ok: true, record: { id: 'b' } }, committedAt: at });
    w!.answer({ id: w!.sent[0]!.id, ok: true, result: { ok: true, record: { id: 'a' } }, committedAt: at });
    await expect(a).resolves.toEqual({ ok: true, record: { id: 'a' } });
    await expect(b).resolves.toEqual({ ok: true, record: { id: 'b' } });
    expect(onPage).not.toHaveBeenCalled();
    const mark = performance.getEntriesByName(COMMITTED_MARK).at(-1)!;
    expect(mark.startTime).toBeCloseTo(at - performance.timeOrigin, 0);
  });

  it('a storage failure in the worker reaches the form as the same StorageError (a full phone stays "quota")', async () => {
    const { viaWriter, StorageError } = await load();
    const saving = viaWriter('saveRepairTicket')({ id: 'a', eventId: 'e' });
    const [w] = FakeWorker.made;
    w!.answer({ id: w!.sent[0]!.id, ok: false, error: { code: 'quota', message: 'The quota has been exceeded.' } });
    const e = await saving.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as InstanceType<typeof StorageError>).code).toBe('quota');
  });

  it('a worker that fails while a save is with it: that save is an error, never run again on the page; later saves run on the page', async () => {
    const { viaWriter, StorageError } = await load();
    const save = viaWriter('saveRepairTicket');
    const lost = save({ id: 'a', eventId: 'e' });
    const [w] = FakeWorker.made;
    w!.crash();
    const e = await lost.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as InstanceType<typeof StorageError>).code).toBe('failed');
    expect(w!.terminated).toBe(true);
    expect(onPage).not.toHaveBeenCalled();
    await expect(save({ id: 'b', eventId: 'e' })).resolves.toEqual({ ok: true, record: { id: 'b', where: 'page' } });
    expect(onPage).toHaveBeenCalledTimes(1);
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('runs the save on the page where there is no Worker', async () => {
    vi.stubGlobal('Worker', undefined);
    const { viaWriter } = await load();
    await expect(viaWriter('saveRepairTicket')({ id: 'a', eventId: 'e' })).resolves.toEqual({
      ok: true,
      record: { id: 'a', where: 'page' },
    });
    expect(onPage).toHaveBeenCalledTimes(1);
  });

  it('runs on the page a save whose arguments cannot be copied to a worker, and only there', async () => {
    const { viaWriter } = await load();
    const handle = () => 'a database handle';
    const r = await viaWriter('saveRepairTicket')({ id: 'a', eventId: 'e' }, handle as never);
    expect(r).toEqual({ ok: true, record: { id: 'a', where: 'page' } });
    expect(onPage).toHaveBeenCalledTimes(1);
    expect(FakeWorker.made[0]!.sent).toHaveLength(0);
  });
});
