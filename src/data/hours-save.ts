/**
 * Saving the roster and attendance (shared/hours.ts). A one-day volunteer is added offline
 * in a few taps; checking in writes the attendance named by the event and the volunteer, so
 * a second tap — or a second lead's phone — finds the same row and keeps its first check-in.
 * Run by the writer (writes.ts).
 */
import { attendanceId } from '../shared/attendance-id.ts';
import { serviceHours, type Attendance, type ServiceRecord, type Volunteer } from '../shared/hours.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import { latestServiceRecord } from './hours.ts';
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
  return saving(db, ['serviceRecord', 'attendance', 'volunteer', 'teamSettings'], async () => {
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
    const hours = change.hours ?? computedHours;
    const reason = (change.reason ?? '').trim();
    if ((hours !== computedHours || earlier) && !reason) return { ok: false, errors: { reason: 'hours.reasonRequired' } };
    return putRecord(
      db,
      'serviceRecord',
      newId(),
      { attendanceId, volunteerId: a.volunteerId, eventId: a.eventId, date: a.date, computedHours, hours, reason, corrects: earlier?.id ?? null, confirmedBy: user.name },
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
