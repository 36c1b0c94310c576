/**
 * The team's working settings, set by a coordinator and synced to every phone like any
 * record (one row per team, its id the team's id): the grids (网格) a household is registered
 * in — chosen, not typed, on the household form — and the department an urgent medical need
 * raised from a health check goes to (issue 25, items 4 and 7), and how service hours are
 * rounded (issue 21), the residents' public request page (issue 22), and whether an item not
 * fixed is charged the standard tier's service fee (issue 24).
 */
import * as z from 'zod/mini';
import { baseFields, text } from './schema-kit.ts';

export const MAX_GRIDS = 60;
export const GRID_MAX_CHARS = 20;

const gridName = text(GRID_MAX_CHARS).check(z.refine((g) => g.trim() === g && g !== '', 'v.required'));

export const teamSettingsSchema = z.strictObject({
  ...baseFields,
  /** The team's grids, in the order a coordinator listed them; each a household's `gridCode`. */
  grids: z.array(gridName).check(
    z.maxLength(MAX_GRIDS, 'v.tooMany'),
    z.refine((gs) => new Set(gs).size === gs.length, 'v.duplicate'),
  ),
  /** Where an urgent medical need goes (e.g. 社区卫生服务中心); empty: to the volunteer team. */
  urgentDepartment: text(100),
  /** Service hours are rounded down to this many minutes (15, 30 or 60). */
  hoursRoundingMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)], 'v.choice'),
  /** The public request page's code (`/ask/<code>`, issue 22): made on the phone, rotated to retire the old link; empty: none yet. */
  askCode: z.string().check(z.regex(/^([0-9A-HJKMNP-TV-Z]{10})?$/, 'v.invalid')),
  /** Whether the page takes requests (a team can close it). */
  askOpen: z.boolean('v.type'),
  /**
   * Whether the standard tier's ¥5 service fee is proposed for an item that was not fixed
   * (issue 24); by default not: materials only (`repair-fees.ts`, `serviceFeeApplies`).
   */
  serviceFeeIfNotFixed: z.boolean('v.type'),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

/** A coordinator's list as typed (one per line, or separated by commas): trimmed, blank lines dropped, each once. */
export function parseGridList(typed: string): string[] {
  return [
    ...new Set(
      typed
        .split(/[\n,，、]+/)
        .map((g) => g.trim())
        .filter(Boolean),
    ),
  ];
}
