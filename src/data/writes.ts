/**
 * Every write the app may ask of the phone's store, by name: what the writer worker runs (and
 * the page, where no worker can start). One table, so the page and the worker cannot drift.
 * Only the `-save` modules are here: the page's first screen never carries them.
 */
import { createUrgentFollowUp, hideHealthCheck, recordConsent, saveHealthCheck, saveThresholds, withdrawConsent } from './health-save.ts';
import { mergeHouseholds, saveHousehold, saveResident } from './household-save.ts';
import { claimNeed, evaluateNeed, needToRepairTicket, saveTicketFollowingNeed, takeNeedStep } from './need-save.ts';
import { deleteRepairRecord, saveRepairEvent } from './repair-save.ts';
import {
  adjustHours,
  checkIn,
  checkOut,
  confirmHours,
  issueCertificates,
  linkVolunteer,
  redeemPoints,
  recordWorkTime,
  savePointsRule,
  saveVolunteer,
} from './hours-save.ts';
import { saveTeamSettings, setAskPage } from './team-settings-save.ts';
import { acceptRequest, declineRequest } from './request-save.ts';
import { hideVisit, recordVisit } from './visit-save.ts';

export const WRITES = {
  saveRepairEvent,
  // a ticket made from a need carries the need with it (collected resolves it)
  saveRepairTicket: saveTicketFollowingNeed,
  deleteRepairRecord,
  saveHousehold,
  mergeHouseholds,
  saveResident,
  recordVisit,
  hideVisit,
  takeNeedStep,
  evaluateNeed,
  needToRepairTicket,
  saveHealthCheck,
  hideHealthCheck,
  recordConsent,
  withdrawConsent,
  createUrgentFollowUp,
  saveThresholds,
  saveTeamSettings,
  saveVolunteer,
  checkIn,
  checkOut,
  confirmHours,
  linkVolunteer,
  adjustHours,
  savePointsRule,
  redeemPoints,
  issueCertificates,
  recordWorkTime,
  setAskPage,
  acceptRequest,
  declineRequest,
  claimNeed,
};

export type Writes = typeof WRITES;
export type WriteName = keyof Writes;
