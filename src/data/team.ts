/**
 * The coordinator's people and devices, straight from the server: these need the network
 * (they are about the server's view of the team), so they are calls, not synced records.
 */
import type { HeldRecord } from '../shared/protocol.ts';
import { scoped } from './reports.ts';
import { api } from './session.ts';

export interface HandInDevice {
  id: string;
  letter: string;
  username: string;
  userName: string;
  role: 'volunteer' | 'coordinator' | 'admin';
  appVersion: string;
  firstSeenAt: number;
  userAgent: string;
  lastSyncAt: number | null;
  pending: number;
  /** The records it still held at its last push, as it described them. */
  held: HeldRecord[];
  activeSessions: number;
  syncedToday: boolean;
  warning: boolean;
}

export interface TeamUser {
  id: string;
  username: string;
  name: string;
  role: 'volunteer' | 'coordinator' | 'admin';
  active: boolean;
}

export async function fetchHandIn(): Promise<HandInDevice[]> {
  return (await api<{ devices: HandInDevice[] }>(scoped('/api/team/devices'))).devices;
}

/** Signs a lost phone out; its records already on the server stay, unsynced ones are gone with it. */
export async function revokeDevice(id: string): Promise<number> {
  return (await api<{ revoked: number }>(scoped(`/api/team/devices/${encodeURIComponent(id)}/revoke`), { method: 'POST', body: {} })).revoked;
}

export async function fetchTeamUsers(): Promise<TeamUser[]> {
  return (await api<{ users: TeamUser[] }>(scoped('/api/team/users'))).users;
}

export async function addTeamUser(u: { username: string; name: string; role: 'volunteer' | 'coordinator'; password: string }): Promise<void> {
  await api(scoped('/api/team/users'), { method: 'POST', body: u });
}

export async function resetPassword(userId: string, password: string): Promise<void> {
  await api(scoped(`/api/team/users/${encodeURIComponent(userId)}/password`), { method: 'POST', body: { password } });
}

export async function setUserActive(userId: string, active: boolean): Promise<void> {
  await api(scoped(`/api/team/users/${encodeURIComponent(userId)}/active`), { method: 'POST', body: { active } });
}
