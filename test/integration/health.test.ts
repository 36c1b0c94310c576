/**
 * Health checks (issue 5) against the real server and database: no consent, no reading kept;
 * a withdrawal races a phone that was offline; health data never leaves its team; thresholds
 * are the coordinators' and reach every phone; exports are audited; readings never reach the
 * server's log.
 */
import { parse } from 'csv-parse/sync';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_THRESHOLDS, DEFAULT_THRESHOLDS_VERSION, thresholdsVersion } from '../../src/shared/health.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { translate } from '../../src/shared/i18n/index.ts';
import { needDescription } from '../../src/shared/need.ts';
import { withDefaults } from '../../src/shared/record-defaults.ts';
import { localDay } from '../../src/shared/visit.ts';
import { createApp } from '../../src/server/app.ts';
import { createSession } from '../../src/server/session.ts';
import { healthList, residentDetail } from '../../src/data/health.ts';
import {
  createUrgentFollowUp,
  recordConsent,
  saveHealthCheck,
  saveThresholds,
  withdrawConsent,
  type CheckDraft,
} from '../../src/data/health-save.ts';
import { saveHousehold, saveResident } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, signedInDevice, startServer, type Device, type TestServer } from './harness.ts';

const none = {
  systolic: null,
  diastolic: null,
  pulse: null,
  glucose: null,
  glucoseContext: null,
  temperature: null,
  weight: null,
  spo2: null,
};
function check(residentId: string, over: Partial<CheckDraft> = {}): CheckDraft {
  return { id: newId(), residentId, ...none, systolic: 118, diastolic: 76, pulse: 72, ...over };
}

describe.each(BACKENDS)('health checks on $name', (backend) => {
  let server: TestServer;
  let teamA: string;
  let teamB: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    teamA = await server.addTeam('东湖社区');
    teamB = await server.addTeam('西湖社区');
    users.nurse = await server.addUser(teamA, 'nurse');
    users.nurse2 = await server.addUser(teamA, 'nurse2');
    users.coord = await server.addUser(teamA, 'coordH', 'coordinator');
    users.other = await server.addUser(teamB, 'otherH', 'coordinator');
  });
  afterAll(async () => {
    await server.stop();
  });

  const device = (user: keyof typeof users) => signedInDevice(server, users[user]!);

  async function residentOn(d: Device, consent: boolean) {
    const householdId = newId();
    await saveHousehold(
      {
        id: householdId,
        gridCode: 'A1',
        building: '5',
        unit: '1',
        room: String(Math.floor(Math.random() * 900) + 100),
        headName: '赵大爷',
      },
      d.db,
    );
    const residentId = newId();
    await saveResident({ id: residentId, householdId, name: '赵德明', sex: 'male', birthYear: 1938 }, d.db);
    if (consent) expect((await recordConsent(residentId, 'family', '赵小红', d.db)).ok).toBe(true);
    return { householdId, residentId };
  }

  it('keeps checks recorded with consent (consent and checks in one batch), in order', async () => {
    const d = await device('nurse');
    const { residentId } = await residentOn(d, true);
    for (const c of [
      check(residentId),
      check(residentId, { glucose: 6.2, glucoseContext: 'fasting' }),
      check(residentId, { systolic: 186, diastolic: 112 }),
    ]) {
      expect((await saveHealthCheck(c, d.db)).ok).toBe(true);
    }
    const r = await d.flush();
    expect(r).toMatchObject({ outcome: 'ok', rejected: 0 });
    const rows = await server.db.selectFrom('health_fact').selectAll().where('resident_id', '=', residentId).execute();
    expect(rows.map((x) => x.level).sort()).toEqual(['normal', 'normal', 'urgent']);
  });

  it('the phone refuses a check without consent; the server refuses one pushed anyway, per mutation, in the user’s language', async () => {
    const d = await device('nurse');
    const { residentId, householdId } = await residentOn(d, false);
    expect(await saveHealthCheck(check(residentId), d.db)).toEqual({ ok: false, errors: { form: 'error.consent_required' } });
    await d.syncUntilClean();

    const node = (await d.db.getMeta('deviceId'))!;
    const hlc = encodeHlc({ ms: Date.now(), counter: 0, node });
    const forged = {
      id: newId(),
      type: 'healthCheck',
      rowId: newId(),
      hlc,
      fields: { residentId, householdId, at: new Date().toISOString(), systolic: 120, diastolic: 80, level: 'normal', flags: [] },
    };
    const fine = { id: newId(), type: 'household', rowId: householdId, hlc, fields: { notes: '正常' } };
    for (const [lang, message] of [
      ['zh-CN', /没有记录健康数据的同意/],
      ['en', /No consent to keep this resident’s health data/],
    ] as const) {
      const res = await d.http.json<{ acked: string[]; rejected: { id: string; code: string; message: string }[] }>('/api/sync/push', {
        headers: { 'accept-language': lang },
        body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: [forged, fine] },
      });
      expect(res.body.rejected).toEqual([{ id: forged.id, code: 'consent_required', message: expect.stringMatching(message) }]);
      expect(res.body.acked).toEqual([fine.id]);
    }
    expect(await server.db.selectFrom('record').select('row_id').where('row_id', '=', forged.rowId).execute()).toEqual([]);
    // implausible readings are refused by the server too, whatever a phone sends
    await recordConsent(residentId, 'self', '', d.db);
    await d.syncUntilClean();
    const swapped = { ...forged, id: newId(), rowId: newId(), fields: { ...forged.fields, systolic: 70, diastolic: 110 } };
    const res = await d.http.json<{ rejected: { code: string; message: string }[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: [swapped] },
    });
    expect(res.body.rejected).toEqual([
      { id: swapped.id, code: 'validation', message: expect.stringContaining('收缩压（高压）应高于舒张压') },
    ]);
  });

  it('withdrawal: a phone that was offline hands in what it measured before, and its later check is refused with the reason', async () => {
    const d1 = await device('nurse');
    const { residentId } = await residentOn(d1, true);
    await d1.syncUntilClean();
    const d2 = await device('nurse2');
    await d2.syncUntilClean();

    // d2, offline, measures before and after the family withdraws consent on d1
    const before = check(residentId, { pulse: 64 });
    expect((await saveHealthCheck(before, d2.db)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect((await withdrawConsent(residentId, d1.db)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    const after = check(residentId, { pulse: 66 });
    expect((await saveHealthCheck(after, d2.db)).ok).toBe(true);
    await d1.syncUntilClean();
    const r = await d2.flush();
    expect(r.outcome).toBe('ok');
    const kept = await server.db.selectFrom('health_fact').select('row_id').where('resident_id', '=', residentId).execute();
    expect(kept.map((k) => k.row_id)).toEqual([before.id]);
    const failed = await d2.db.failed.toArray();
    expect(failed.map((f) => [f.rowId, f.code])).toEqual([[after.id, 'consent_required']]);
    // and the phone now knows: no new check opens
    expect((await residentDetail(residentId, d2.db))?.consentActive).toBe(false);
    expect(await saveHealthCheck(check(residentId), d2.db)).toMatchObject({ ok: false });
  });

  it('health data never leaves its team: a pull from another team holds no resident and no reading', async () => {
    const d = await device('nurse');
    await residentOn(d, true);
    await d.syncUntilClean();
    const outsider = await device('other');
    await outsider.syncUntilClean();
    expect(await outsider.db.healthCheck.count()).toBe(0);
    expect(await outsider.db.resident.count()).toBe(0);
    const asked = await outsider.http.json(`/api/sync/pull?cursor=0&team=${teamA}`);
    expect(asked.status).toBe(403);
    const exported = await outsider.http.json(`/api/export/health.csv?from=2026-01-01&to=2030-12-31&team=${teamA}`);
    expect(exported.status).toBe(403);
  });

  it('thresholds are the coordinators’: a volunteer’s push is refused; a coordinator’s reaches the phones and judges new checks', async () => {
    const nurse = await device('nurse');
    const node = (await nurse.db.getMeta('deviceId'))!;
    const strict = { ...DEFAULT_THRESHOLDS, bpGrade1Sys: 130 };
    const forged = {
      id: newId(),
      type: 'healthThresholds',
      rowId: teamA,
      hlc: encodeHlc({ ms: Date.now(), counter: 0, node }),
      fields: { values: strict, version: thresholdsVersion(strict) },
    };
    const res = await nurse.http.json<{ rejected: { code: string }[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: [forged] },
    });
    expect(res.body.rejected.map((r) => r.code)).toEqual(['forbidden']);

    const coord = await device('coord');
    expect((await saveThresholds({ ...DEFAULT_THRESHOLDS, bpGrade2Sys: 120 }, coord.db)).ok).toBe(false);
    const saved = await saveThresholds(strict, coord.db);
    expect(saved.ok).toBe(true);
    await coord.syncUntilClean();
    await nurse.syncUntilClean();
    const { residentId } = await residentOn(nurse, true);
    const c = await saveHealthCheck(check(residentId, { systolic: 132, diastolic: 78 }), nurse.db);
    expect(c.ok && c.flags.map((f) => f.code)).toEqual(['bp.grade1']);
    expect(c.ok && c.check.thresholdVersion).toBe(thresholdsVersion(strict));
    expect(thresholdsVersion(strict)).not.toBe(DEFAULT_THRESHOLDS_VERSION);
  });

  it('an urgent reading: one tap makes an urgent medical need and a visit due tomorrow; the health list puts the resident first', async () => {
    const d = await device('nurse2');
    const calm = await residentOn(d, true);
    await saveHealthCheck(check(calm.residentId), d.db);
    const { residentId, householdId } = await residentOn(d, true);
    const c = await saveHealthCheck(check(residentId, { spo2: 86 }), d.db);
    expect(c.ok && c.check.level).toBe('urgent');
    const checkId = c.ok ? c.check.id : '';
    const first = await createUrgentFollowUp(checkId, '健康检查紧急提示：血氧过低', '健康检查紧急提示', ['spo2.urgent'], d.db);
    const second = await createUrgentFollowUp(checkId, '健康检查紧急提示：血氧过低', '健康检查紧急提示', ['spo2.urgent'], d.db);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    const tomorrow = localDay(Date.now() + 86_400_000);
    expect(first.ok && first.followUpOn).toBe(tomorrow);
    expect((await d.db.household.get(householdId))?.followUpOn).toBe(tomorrow);
    expect((await d.db.need.where('healthCheckId').equals(checkId).toArray()).map((n) => [n.category, n.urgency])).toEqual([
      ['medical', 'urgent'],
    ]);
    const list = await healthList(d.db);
    expect(list[0]?.resident.id).toBe(residentId);
    expect(list[0]?.lastLevel).toBe('urgent');
    await d.syncUntilClean();
    const coord = await device('coord');
    const today = localDay(Date.now(), 'Asia/Shanghai');
    const dash = await coord.http.json<{
      health: { attention: { residentId: string; level: string; followedUp: boolean; flags: string[] }[] };
    }>(`/api/dashboard?from=${today}&to=${today}`);
    expect(dash.status).toBe(200);
    const row = dash.body.health.attention.find((a) => a.residentId === residentId);
    expect(row).toMatchObject({ level: 'urgent', followedUp: true, flags: ['spo2.urgent'] });
    expect(dash.body.health.attention[0]?.level).toBe('urgent');
    // the need Linli wrote is kept as codes: each reader sees it in their language, the server's export in Chinese
    const stored = await d.db.need.where('healthCheckId').equals(checkId).first();
    expect(stored?.descriptionFlags).toEqual(['spo2.urgent']);
    const need = withDefaults('need', stored!);
    expect(needDescription(need, (k, p) => translate('en', k, p))).toBe(`Urgent health flag: ${translate('en', 'flag.spo2.urgent')}`);
    expect(needDescription(need, (k, p) => translate('zh-CN', k, p))).toBe(`健康检查紧急提示：${translate('zh-CN', 'flag.spo2.urgent')}`);
    expect((await d.db.household.get(householdId))?.followUpReasonCode).toBe('healthUrgent');
    // an old row, written as text, reads as it was
    expect(needDescription({ description: '健康检查紧急提示：血氧过低', descriptionFlags: [] }, (k, p) => translate('en', k, p))).toBe(
      '健康检查紧急提示：血氧过低',
    );
  });

  it('the health export is the coordinator’s, and every export is audited with who, when and what range', async () => {
    const d = await device('nurse');
    const { residentId } = await residentOn(d, true);
    await saveHealthCheck(check(residentId, { glucose: 2.8, glucoseContext: 'random' }), d.db);
    await d.syncUntilClean();
    const today = localDay(Date.now(), 'Asia/Shanghai');
    expect((await d.http.json(`/api/export/health.csv?from=${today}&to=${today}`)).status).toBe(403);
    const coord = await device('coord');
    const res = await coord.http.fetch(`/api/export/health.csv?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    const rows = parse(new TextDecoder().decode(new Uint8Array(await res.arrayBuffer())), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    const row = rows.find((r) => r['血糖 (mmol/L)'] === '2.8');
    expect(row).toMatchObject({
      姓名: '赵德明',
      地址: expect.stringMatching(/^5栋 1单元 \d+室$/),
      结果: '紧急',
      测血糖的时间: '随机',
      提示: '严重低血糖（紧急）',
    });
    const audit = await server.db.selectFrom('audit').selectAll().where('action', '=', 'export.health').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: users.coord!.id, team_id: teamA });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ from: today, to: today, rows: rows.length });
    expect(Math.abs(Number(audit[0]!.at) - Date.now())).toBeLessThan(60_000);
  });

  it('never writes a reading, a name or a body to the server log', async () => {
    const lines: string[] = [];
    const spy = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')].map((s) =>
      s.mockImplementation((...args: unknown[]) => void lines.push(args.join(' '))),
    );
    try {
      const app = createApp({
        db: server.db,
        config: { sessionDays: 60, staticDir: path.join(server.dataDir, 'no-dist'), trustedOrigins: [], hsts: false, logRequests: true },
      });
      const token = await createSession(server.db, users.nurse!.id, null, 60);
      const node = 'abcdefabcdef0123';
      const body = JSON.stringify({
        deviceId: node,
        schemaVersion: SCHEMA_VERSION,
        mutations: [
          {
            id: newId(),
            type: 'healthCheck',
            rowId: newId(),
            hlc: encodeHlc({ ms: Date.now(), counter: 0, node }),
            fields: {
              residentId: newId(),
              householdId: newId(),
              at: new Date().toISOString(),
              systolic: 177,
              diastolic: 103,
              notes: '钱秀芝 头晕',
            },
          },
        ],
      });
      const res = await app.request('/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `linli_session=${token}` },
        body,
      });
      expect(res.status).toBe(200);
      await app.request('/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `linli_session=${token}` },
        body: '{"bad json 177',
      });
    } finally {
      for (const s of spy) s.mockRestore();
    }
    expect(lines.some((l) => l.includes('/api/sync/push'))).toBe(true);
    for (const secret of ['177', '103', '钱秀芝', '头晕']) expect(lines.join('\n')).not.toContain(secret);
  });
});
