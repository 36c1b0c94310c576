/**
 * The roles of a team and who manages whom — a ladder: coordinators manage their team's
 * volunteers (their accounts and their phones); only admins manage coordinators and admins.
 * The server enforces it; the screens offer only what it allows.
 */
export const ROLES = ['volunteer', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function manages(actor: Role, target: Role): boolean {
  return actor === 'admin' || (actor === 'coordinator' && target === 'volunteer');
}

/**
 * Who may hide a recorded fact (a visit, a health check) entered by mistake: whoever recorded
 * it, or a coordinator or admin of its team. Hidden, it stays stored with its reason for the
 * audit; a correct reading is recorded anew.
 */
export function mayHideFact(role: Role, userId: string, createdBy: unknown): boolean {
  return role !== 'volunteer' || createdBy === userId;
}
