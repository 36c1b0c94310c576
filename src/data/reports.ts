/** The coordinator's figures for a date range, from the server (online only). */
import type { Dashboard } from '../shared/dashboard.ts';
import type { StreetReport } from '../shared/street-report.ts';

export type { StreetReport, Headline, Period } from '../shared/street-report.ts';
export type { Dashboard, RepairDashboard, VisitsDashboard, NeedsDashboard, HealthDashboard, AttentionRow } from '../shared/dashboard.ts';
import { api } from './session.ts';


/** The team an admin is looking at (null: their own); every coordinator call carries it. */
let adminTeam: string | null = null;
export function setAdminTeam(teamId: string | null): void {
  adminTeam = teamId;
}
export function adminTeamId(): string | null {
  return adminTeam;
}
/** `path` with `team=` added when an admin has chosen another team. */
export function scoped(path: string): string {
  return adminTeam ? `${path}${path.includes('?') ? '&' : '?'}team=${encodeURIComponent(adminTeam)}` : path;
}

export async function fetchTeams(): Promise<{ id: string; name: string; region: string }[]> {
  return (await api<{ teams: { id: string; name: string; region: string }[] }>('/api/teams')).teams;
}

export async function fetchDashboard(from: string, to: string): Promise<Dashboard> {
  return api(scoped(`/api/dashboard?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`));
}

/** The street office's report for a period; `personal` adds the attention list (internal use). */
export async function fetchStreetReport(from: string, to: string, personal: boolean): Promise<StreetReport> {
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${personal ? '&personal=1' : ''}`;
  return api(scoped(`/api/report?${q}`));
}

export type ExportFile = 'repairs.csv' | 'repairs.ords.csv' | 'households.csv' | 'visits.csv' | 'needs.csv' | 'health.csv' | 'hours.csv';

export function exportUrl(file: ExportFile, from: string, to: string): string {
  return scoped(`/api/export/${file}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
}
