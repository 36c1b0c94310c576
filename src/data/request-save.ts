/**
 * A coordinator answers a resident's request (issue 22), offline like any save: accepted —
 * linked to a household already registered at the address, or registered as a new one from
 * what the resident typed, which only now becomes a household's data — and routed into the
 * need loop (a department or the volunteers; a 微心愿 goes on the wish board); or declined,
 * with the reason the resident will read. Run by the writer (writes.ts).
 */
import type { NeedRoute } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { NEED_CATEGORY_OF, type ResidentRequest } from '../shared/request.ts';
import { localDb, type LinliDb } from './db.ts';
import { createNeed } from './need-save.ts';
import { localFields } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { actor, putRecord, saving, type SaveResult } from './save.ts';

export interface AcceptInput {
  requestId: string;
  /** A household already registered there, or a new one made from the request (its id and grid). */
  householdId?: string;
  newHousehold?: { id: string; gridCode: string };
  route: NeedRoute;
  department: string;
  /** Made when the form opens, so a second tap finds the need made. */
  needId: string;
}

export function acceptRequest(input: AcceptInput, db: LinliDb = localDb()): Promise<SaveResult<ResidentRequest>> {
  return saving(db, ['request', 'need', 'needLog', 'household', 'resident'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    const row = await db.request.get(input.requestId);
    if (!row) return { ok: false, errors: { form: 'v.invalid' } };
    const request = withDefaults('request', localFields(row));
    if (request.status === 'accepted' && request.needId === input.needId) return { ok: true, record: request };
    if (request.status !== 'received') return { ok: false, errors: { form: 'request.handled' } };
    let householdId = input.householdId ?? '';
    if (!householdId && input.newHousehold) {
      // what the resident typed becomes a household's data only now, by the coordinator's act
      const h = await putRecord(
        db,
        'household',
        input.newHousehold.id,
        {
          gridCode: input.newHousehold.gridCode,
          building: request.building,
          unit: request.unit,
          room: request.room,
          headName: request.callName,
          phone: request.phone,
        },
        { user, now },
      );
      if (!h.ok) return h;
      householdId = h.record.id;
    }
    if (!householdId || !(await db.household.get(householdId))) return { ok: false, errors: { householdId: 'request.chooseHousehold' } };
    const made = await createNeed(
      db,
      {
        id: input.needId,
        category: NEED_CATEGORY_OF[request.kind],
        urgency: 'normal',
        description: request.goodTime ? `${request.description}\n（${request.goodTime}）` : request.description,
        route: request.kind === 'wish' ? 'volunteers' : input.route,
        department: request.kind === 'wish' ? '' : input.department,
        householdId,
        visitId: null,
        healthCheckId: null,
        requestId: request.id,
      },
      { user, now },
    );
    if (!made.ok) return made;
    const saved = await putRecord(db, 'request', request.id, { status: 'accepted', householdId, needId: made.need.id, acceptedAt: now }, { user, now });
    await refreshRollups(db, [
      { type: 'household', rowId: householdId },
      { type: 'need', rowId: made.need.id },
    ]);
    return saved;
  });
}

/** Declines a request with the reason the resident will read on their status page. */
export function declineRequest(requestId: string, reason: string, db: LinliDb = localDb()): Promise<SaveResult<ResidentRequest>> {
  return saving(db, ['request'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    const row = await db.request.get(requestId);
    if (!row) return { ok: false, errors: { form: 'v.invalid' } };
    if (row.status !== 'received') return row.status === 'declined' ? { ok: true, record: withDefaults('request', localFields(row)) } : { ok: false, errors: { form: 'request.handled' } };
    if (!reason.trim()) return { ok: false, errors: { declineReason: 'request.declineReason' } };
    return putRecord(db, 'request', requestId, { status: 'declined', declineReason: reason.trim(), declinedAt: now }, { user, now });
  });
}
