/**
 * A phone driven by hand for the authority tests: its own device id and clock, pushing
 * exactly the mutations a test writes (what an old, buggy or hostile app could send). Apart
 * from the harness because it asserts with vitest, and the benchmarks import the harness.
 */
import { expect } from 'vitest';
import { randomDeviceId } from '../../src/data/clock.ts';
import { newId } from '../../src/data/records.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { HttpClient, type TestServer } from './harness.ts';

export type Mutation = { id: string; type: string; rowId: string; hlc: string; fields: Record<string, unknown> };

/** A phone driven by hand: its own device id and clock, pushing exactly what a test writes. */
export class RawPhone {
  readonly http: HttpClient;
  readonly node = randomDeviceId();
  private counter = 0;
  constructor(base: string) {
    this.http = new HttpClient(base);
  }
  /** Signs `user` in on this phone's device id, at `base` (a test server's, or a spawned process's). */
  static async signIn(base: string | TestServer, user: { username: string; password: string }): Promise<RawPhone> {
    const p = new RawPhone(typeof base === 'string' ? base : base.url);
    const res = await p.http.json('/api/auth/login', { body: { username: user.username, password: user.password, deviceId: p.node } });
    expect(res.status).toBe(200);
    return p;
  }
  m(type: string, rowId: string, fields: Record<string, unknown>, ms = Date.now()): Mutation {
    return { id: newId(), type, rowId, hlc: encodeHlc({ ms, counter: this.counter++, node: this.node }), fields };
  }
  async push(mutations: Mutation[], lang = 'zh-CN'): Promise<Required<PushResponse>> {
    const res = await this.http.json<PushResponse>('/api/sync/push', {
      headers: { 'accept-language': lang },
      body: { deviceId: this.node, schemaVersion: SCHEMA_VERSION, mutations },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { deferred: [], ...res.body };
  }
}
