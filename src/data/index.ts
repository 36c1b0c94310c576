/**
 * The one door from the UI to data: everything `src/app` may call. Storage, sync internals
 * and the database stay behind it (an ESLint rule forbids the UI importing them).
 */
import type { Observable } from './observable.ts';
import { viaWriter } from './writer.ts';

/**
 * A read from a module loaded on its first subscription: screens past the first read through
 * the same door, and the first screen does not carry their code.
 */
function later<F extends (...args: never[]) => Observable<unknown>>(load: () => Promise<F>): F {
  const read = (...args: Parameters<F>): Observable<unknown> => ({
    subscribe(next, error) {
      let inner: { unsubscribe(): void } | null = null;
      let closed = false;
      load().then(
        (f) => {
          if (!closed) inner = f(...args).subscribe(next, error);
        },
        (e: unknown) => error?.(e),
      );
      return {
        unsubscribe() {
          closed = true;
          inner?.unsubscribe();
        },
      };
    },
  });
  return read as F;
}

export type { Observable } from './observable.ts';
export type { FailedEntry, SyncOutcome } from './db.ts';
export { StorageError, type StorageErrorCode } from './storage-error.ts';
export { newId } from './records.ts';
export {
  observeEvent,
  observeEvents,
  observeHomeRepairs,
  observeCategoryUse,
  observeTicket,
  observeTickets,
  type EventListItem,
  type RepairSummary,
  type RepairTicket,
  type RowSync,
  type TicketListItem,
} from './repair.ts';
export type { FieldErrors, SaveResult } from './save.ts';
export type { EventDraft, TicketDraft } from './repair-save.ts';
export {
  ApiCallError,
  observeSession,
  refreshSession,
  setApiLocale,
  setupFirstTeam,
  setupNeeded,
  signIn,
  signOut,
  type SessionState,
  type SignedInUser,
} from './session.ts';
export {
  dismissFailed,
  observeFailed,
  observeProgress,
  observeSyncStatus,
  requestSync,
  startSync,
  syncSoon,
  STALE_PENDING_MS,
  type LiveProgress,
  type SyncStatus,
} from './sync/client.ts';
export { ensurePersistence, storageReport, type Persistence, type StorageReport } from './storage.ts';
export { addTeamUser, fetchHandIn, fetchTeamUsers, resetPassword, revokeDevice, setUserActive, type HandInDevice, type TeamUser } from './team.ts';
export { adminTeamId, exportUrl, fetchDashboard, fetchStreetReport, fetchTeams, setAdminTeam, type AttentionRow, type Headline, type Period, type StreetReport, type Dashboard, type ExportFile, type HealthDashboard, type NeedsDashboard, type RepairDashboard, type VisitsDashboard } from './reports.ts';
export {
  HOUSEHOLD_PAGE,
  householdsAtAddress,
  observeGrids,
  observeHousehold,
  observeHouseholds,
  type HouseholdDetail,
  type HouseholdListItem,
  type HouseholdPage,
  type HouseholdQuery,
} from './household.ts';
export { DUE_LIST_LIMIT, observeDueList, type DueItem, type DueList } from './visit.ts';
export type { HouseholdDraft, ResidentDraft } from './household-save.ts';
export type { VisitDraft, VisitResult } from './visit-save.ts';
export type { NeedInput, StepOutcome } from './need-save.ts';
export type { CheckDraft, CheckResult } from './health-save.ts';
export { observeNeed, type NeedDetail } from './need.ts';
export {
  observeCheck,
  observeHealthList,
  observeResident,
  observeResidentSearch,
  observeThresholds,
  type ResidentHit,
  type CheckItem,
  type HealthListItem,
  type ResidentDetail,
  type TeamThresholds,
} from './health.ts';
export { observeTeamSettings, type TeamSettings } from './team-settings.ts';
// read by screens past the first, so loaded when first read (`later`)
export const observeRequests = later(() => import('./request.ts').then((m) => m.observeRequests));
export const observeWishBoard = later(() => import('./request.ts').then((m) => m.observeWishBoard));
export type { IncomingRequest, RequestLists, ResidentRequest, Wish, WishBoard } from './request.ts';
export type { AcceptInput } from './request-save.ts';
export const observeEventSummary = later(() => import('./event-summary.ts').then((m) => m.observeEventSummary));
export const observeCertificates = later(() => import('./hours.ts').then((m) => m.observeCertificates));
export const observeDayAttendance = later(() => import('./hours.ts').then((m) => m.observeDayAttendance));
export const observeHoursByVolunteer = later(() => import('./hours.ts').then((m) => m.observeHoursByVolunteer));
export const observeMyService = later(() => import('./hours.ts').then((m) => m.observeMyService));
export const observePointsRules = later(() => import('./hours.ts').then((m) => m.observePointsRules));
export const observeRoster = later(() => import('./hours.ts').then((m) => m.observeRoster));
export const observeSamePhone = later(() => import('./hours.ts').then((m) => m.observeSamePhone));
export const observeSignInSheet = later(() => import('./hours.ts').then((m) => m.observeSignInSheet));
export type {
  Activity,
  Attendance,
  Certificate,
  CertificateView,
  DayAttendance,
  MyService,
  PointsEntry,
  PointsLedger,
  PointsRule,
  ServiceItem,
  SheetRow,
  SignInSheet,
  Volunteer,
  VolunteerHours,
} from './hours.ts';
export type { VolunteerDraft } from './hours-save.ts';
export { exportHandover, HandoverRefused, importHandover, MAX_HANDOVER_BYTES, type HandoverError } from './handover.ts';

// Every save runs in the writer worker (writer.ts says why); the UI calls them as before.
export { COMMITTED_MARK, warmWriter } from './writer.ts';
export const saveRepairEvent = viaWriter('saveRepairEvent');
export const saveRepairTicket = viaWriter('saveRepairTicket');
export const deleteRepairRecord = viaWriter('deleteRepairRecord');
export const saveHousehold = viaWriter('saveHousehold');
export const mergeHouseholds = viaWriter('mergeHouseholds');
export const saveResident = viaWriter('saveResident');
export const recordVisit = viaWriter('recordVisit');
export const hideVisit = viaWriter('hideVisit');
export const takeNeedStep = viaWriter('takeNeedStep');
export const evaluateNeed = viaWriter('evaluateNeed');
export const needToRepairTicket = viaWriter('needToRepairTicket');
export const saveHealthCheck = viaWriter('saveHealthCheck');
export const hideHealthCheck = viaWriter('hideHealthCheck');
export const recordConsent = viaWriter('recordConsent');
export const withdrawConsent = viaWriter('withdrawConsent');
export const createUrgentFollowUp = viaWriter('createUrgentFollowUp');
export const saveThresholds = viaWriter('saveThresholds');
export const saveTeamSettings = viaWriter('saveTeamSettings');
export const saveVolunteer = viaWriter('saveVolunteer');
export const checkIn = viaWriter('checkIn');
export const checkOut = viaWriter('checkOut');
export const confirmHours = viaWriter('confirmHours');
export const linkVolunteer = viaWriter('linkVolunteer');
export const adjustHours = viaWriter('adjustHours');
export const savePointsRule = viaWriter('savePointsRule');
export const redeemPoints = viaWriter('redeemPoints');
export const issueCertificates = viaWriter('issueCertificates');
export const recordWorkTime = viaWriter('recordWorkTime');
export const setAskPage = viaWriter('setAskPage');
export const acceptRequest = viaWriter('acceptRequest');
export const declineRequest = viaWriter('declineRequest');
export const claimNeed = viaWriter('claimNeed');
