/**
 * Saving the roster and attendance (shared/hours.ts). A one-day volunteer is added offline
 * in a few taps; checking in writes the attendance named by the event and the volunteer, so
 * a second tap — or a second lead's phone — finds the same row and keeps its first check-in.
 * Run by the writer (writes.ts).
 */
import { attendanceId } from '../shared/attendance-id.ts';
import { localDay } from '../shared/due.ts';
import {
  certificateSerial,
  pointsFor,
  ruleInForce,
  serviceHours,
  type Attendance,
  type Certificate,
  type PointsRule,
  type Redemption,
  type ServiceRecord,
  type Volunteer,
} from '../shared/hours.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import { confirmedInPeriod, latestServiceRecord, pointsBalance, pointsRules, refusedRows } from './hours.ts';
import { newId } from './records.ts';
import { actor, commit, prepare, putRecord, saving, type Editable, type SaveResult } from './save.ts';
import { teamSettings } from './team-settings.ts';

export type VolunteerDraft = { id: string } & Partial<Omit<Editable<Volunteer>, 'userId'>>;

/** Adds or corrects a roster entry; the id is made when the form opens, so a double save writes one. */
export function saveVolunteer(draft: VolunteerDraft, db: LinliDb = localDb()): Promise<SaveResult<Volunteer>> {
  return saving(db, ['volunteer'], async () => {
    const { user, now } = await actor(db);
    return putRecord(db, 'volunteer', draft.id, draft, { user, now });
  });
}

/** Checks a volunteer in at an event, now; a volunteer already checked in keeps the first time. */
export async function checkIn(eventId: string, volunteerId: string, db: LinliDb = localDb()): Promise<SaveResult<Attendance>> {
  // named before the transaction: WebCrypto's promise would end an IndexedDB transaction it ran in
  const id = await attendanceId(eventId, volunteerId);
  return saving(db, ['attendance', 'repairEvent', 'volunteer'], async () => {
    const { user, now } = await actor(db);
    const [event, volunteer, existing] = await Promise.all([db.repairEvent.get(eventId), db.volunteer.get(volunteerId), db.attendance.get(id)]);
    if (!event || event.deleted || !volunteer || volunteer.deleted) return { ok: false, errors: { form: 'hours.notFound' } };
    if (existing && !existing.deleted && existing.checkInAt) {
      // checked out by mistake and back: the check-out is taken back, the first check-in kept
      return putRecord(db, 'attendance', id, { checkOutAt: null }, { user, now });
    }
    const p = await prepare(db, 'attendance', id, { volunteerId, eventId, date: event.date ?? '', checkInAt: now }, { user, now });
    if (!p.ok) return p;
    // A new row is written whole, its check-out (none) and tombstone (none) too; but another
    // lead's phone may already hold this attendance's check-out, which this phone's "none"
    // would overwrite at the merge. They are left unwritten: read as their defaults here.
    const { checkOutAt: _out, deleted: _deleted, ...changed } = p.prepared.changed;
    return { ok: true, record: await commit(db, { ...p.prepared, changed }) };
  });
}

/** Checks a volunteer out, now; only one who is checked in. */
export async function checkOut(eventId: string, volunteerId: string, db: LinliDb = localDb()): Promise<SaveResult<Attendance>> {
  const id = await attendanceId(eventId, volunteerId);
  return saving(db, ['attendance'], async () => {
    const { user, now } = await actor(db);
    const existing = await db.attendance.get(id);
    if (!existing || existing.deleted || !existing.checkInAt) return { ok: false, errors: { form: 'hours.notCheckedIn' } };
    return putRecord(db, 'attendance', id, { checkOutAt: now }, { user, now });
  });
}

/**
 * A coordinator confirms an attendance's hours: by the times and the team's rule, or other
 * hours with a reason. Once confirmed they are final: confirming again writes a correction —
 * a record of its own naming the one before, with a reason. No one confirms their own.
 */
export function confirmHours(
  attendanceId: string,
  change: { hours?: number; reason?: string } = {},
  db: LinliDb = localDb(),
): Promise<SaveResult<ServiceRecord>> {
  return saving(db, ['serviceRecord', 'attendance', 'volunteer', 'teamSettings', 'pointsRule'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    const row = await db.attendance.get(attendanceId);
    if (!row || row.deleted) return { ok: false, errors: { form: 'hours.notFound' } };
    const a = withDefaults('attendance', row);
    if (!a.checkOutAt) return { ok: false, errors: { form: 'hours.notCheckedOut' } };
    const volunteer = await db.volunteer.get(a.volunteerId);
    if (volunteer?.userId && volunteer.userId === user.id) return { ok: false, errors: { form: 'hours.ownHours' } };
    const { hoursRoundingMinutes } = await teamSettings(db, user.teamId);
    const computedHours = serviceHours(a.checkInAt, a.checkOutAt, hoursRoundingMinutes);
    const earlier = await latestServiceRecord(db, attendanceId);
    // the lead's adjustment, with its reason, is what is confirmed unless the coordinator says otherwise
    const hours = change.hours ?? a.adjustedHours ?? computedHours;
    const reason = (change.reason ?? (change.hours === undefined ? a.adjustReason : '')).trim();
    if ((hours !== computedHours || earlier) && !reason) return { ok: false, errors: { reason: 'hours.reasonRequired' } };
    // the points by the rule this phone knows; the server works them out again by the rules it holds
    const rule = ruleInForce(await pointsRules(db), a.date);
    return putRecord(
      db,
      'serviceRecord',
      newId(),
      {
        attendanceId,
        volunteerId: a.volunteerId,
        eventId: a.eventId,
        date: a.date,
        computedHours,
        hours,
        reason,
        corrects: earlier?.id ?? null,
        confirmedBy: user.name,
        points: pointsFor(hours, rule),
        pointsRuleId: rule?.id ?? null,
      },
      { user, now },
    );
  });
}

/** A coordinator links a roster entry to a sign-in account (or unlinks it): whose own page its hours show on. */
export function linkVolunteer(volunteerId: string, userId: string | null, db: LinliDb = localDb()): Promise<SaveResult<Volunteer>> {
  return saving(db, ['volunteer'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    return putRecord(db, 'volunteer', volunteerId, { userId }, { user, now });
  });
}

/**
 * The day's lead adjusts an attendance's hours (time away from the site, a check-out tapped
 * late), with the reason; null takes the adjustment back. The coordinator confirms what it says.
 */
export async function adjustHours(
  eventId: string,
  volunteerId: string,
  hours: number | null,
  reason: string,
  db: LinliDb = localDb(),
): Promise<SaveResult<Attendance>> {
  const id = await attendanceId(eventId, volunteerId);
  return saving(db, ['attendance'], async () => {
    const { user, now } = await actor(db);
    const existing = await db.attendance.get(id);
    if (!existing || existing.deleted || !existing.checkInAt) return { ok: false, errors: { form: 'hours.notCheckedIn' } };
    if (hours !== null && !reason.trim()) return { ok: false, errors: { adjustReason: 'hours.reasonRequired' } };
    return putRecord(db, 'attendance', id, { adjustedHours: hours, adjustReason: hours === null ? '' : reason.trim() }, { user, now });
  });
}

/** A coordinator sets the team's points rule from a day on: a new version; what was earned before stays. */
export function savePointsRule(
  draft: { id: string; pointsPerHour: number; effectiveFrom: string; note?: string },
  db: LinliDb = localDb(),
): Promise<SaveResult<PointsRule>> {
  return saving(db, ['pointsRule'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    if (await db.pointsRule.get(draft.id)) return { ok: true, record: withDefaults('pointsRule', (await db.pointsRule.get(draft.id))!) };
    return putRecord(db, 'pointsRule', draft.id, { pointsPerHour: draft.pointsPerHour, effectiveFrom: draft.effectiveFrom, note: draft.note ?? '' }, { user, now });
  });
}

/**
 * A coordinator records a redemption at the charity shop (兑换), offline too: within the
 * balance this phone knows. Another phone may have spent the same points offline: the
 * server, holding both, refuses the one that would overdraw.
 */
export async function redeemPoints(
  draft: { id: string; volunteerId: string; points: number; item: string },
  db: LinliDb = localDb(),
): Promise<SaveResult<Redemption>> {
  // read before the save's transaction, which does not span the refused list
  const refused = await refusedRows(db, await db.redemption.where('volunteerId').equals(draft.volunteerId).primaryKeys());
  return saving(db, ['redemption', 'serviceRecord', 'volunteer', 'repairEvent', 'visit', 'repairTicket', 'household'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    if (await db.redemption.get(draft.id)) return { ok: true, record: withDefaults('redemption', (await db.redemption.get(draft.id))!) };
    if (Number.isInteger(draft.points) && draft.points > (await pointsBalance(draft.volunteerId, db, refused))) {
      return { ok: false, errors: { points: 'points.overdraft' } };
    }
    return putRecord(db, 'redemption', draft.id, { volunteerId: draft.volunteerId, points: draft.points, item: draft.item, at: now, byName: user.name }, { user, now });
  });
}

/**
 * Certificates for volunteers over a period, in one save (a school's students in one go):
 * each named offline by its own serial, with the confirmed hours this phone holds. A
 * coordinator issues any; a volunteer only their own.
 */
export function issueCertificates(
  volunteerIds: readonly string[],
  period: { from: string; to: string },
  db: LinliDb = localDb(),
): Promise<SaveResult<Certificate[]>> {
  return saving(db, ['certificate', 'serviceRecord', 'volunteer', 'attendance', 'teamSettings', 'repairEvent', 'visit', 'repairTicket', 'household'], async () => {
    const { user, now } = await actor(db);
    if (period.from > period.to) return { ok: false, errors: { to: 'v.periodOrder' } };
    const out: Certificate[] = [];
    for (const volunteerId of volunteerIds) {
      const v = await db.volunteer.get(volunteerId);
      if (!v || v.deleted) return { ok: false, errors: { form: 'hours.notFound' } };
      if (user.role === 'volunteer' && v.userId !== user.id) return { ok: false, errors: { form: 'error.forbidden' } };
      const { totalHours, activities } = await confirmedInPeriod(volunteerId, period.from, period.to, db);
      const id = newId();
      const saved = await putRecord(
        db,
        'certificate',
        id,
        { volunteerId, from: period.from, to: period.to, serial: certificateSerial(id, now.slice(0, 4)), totalHours, activities, byName: user.name },
        { user, now },
      );
      if (!saved.ok) return saved;
      out.push(saved.record);
    }
    return { ok: true, record: out };
  });
}

/** The longest a visit or home repair done alone is recorded as (a working day). */
export const MAX_WORK_MINUTES = 600;

/**
 * A volunteer records the time they spent on a visit or a home repair done alone — their own
 * roster entry's, by the account's link — as an attendance of that work: it ends at the
 * visit's time (a home repair's: now) and started so many minutes before. A coordinator
 * confirms it like any other. Recording again changes the one attendance.
 */
export async function recordWorkTime(workId: string, minutes: number, db: LinliDb = localDb()): Promise<SaveResult<Attendance>> {
  const user = await db.getMeta('user');
  const entry = user ? await db.volunteer.filter((v) => v.deleted !== true && v.userId === user.id).first() : undefined;
  if (!entry) return { ok: false, errors: { minutes: 'hours.noRosterEntry' } };
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WORK_MINUTES) return { ok: false, errors: { minutes: 'hours.workMinutes' } };
  const id = await attendanceId(workId, entry.id);
  return saving(db, ['attendance', 'visit', 'repairTicket', 'volunteer'], async () => {
    const { user: me, now } = await actor(db);
    const [visit, ticket] = await Promise.all([db.visit.get(workId), db.repairTicket.get(workId)]);
    const endAt = visit?.at ?? (ticket && ticket.mode === 'home' ? now : null);
    if (!endAt || (visit ?? ticket)?.deleted) return { ok: false, errors: { form: 'hours.notFound' } };
    const checkInAt = new Date(Date.parse(endAt) - minutes * 60_000).toISOString();
    const date = localDay(endAt, me.timeZone);
    return putRecord(db, 'attendance', id, { volunteerId: entry.id, eventId: workId, date, checkInAt, checkOutAt: endAt }, { user: me, now });
  });
}
